package crumbhub.client.tui.chat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import crumbhub.client.tui.chat.Command.Argument;
import crumbhub.client.tui.chat.CommandOutcome.CloseWindow;
import crumbhub.client.tui.chat.CommandOutcome.Fail;
import crumbhub.client.tui.chat.CommandOutcome.Focus;
import crumbhub.client.tui.chat.CommandOutcome.Jump;
import crumbhub.client.tui.chat.CommandOutcome.Nothing;
import crumbhub.client.tui.chat.CommandOutcome.Perform;
import crumbhub.client.tui.chat.CommandOutcome.Show;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The IRC-style commands (docs/design.md §8) and the parser that turns a typed line into a
 * {@link CommandOutcome}: a line that does not start with {@code /} is text for the current
 * conversation, {@code //} sends a line starting with {@code /}, and anything wrong yields one
 * sentence saying what is expected.
 */
public final class ChatCommands {
    public static final List<Command> ALL = List.of(
            new Command("join", "#room", "join a room you were invited to, or switch to it", List.of(Argument.ROOM)),
            new Command("leave", "[#room]", "leave a room (the current one by default), or close a direct conversation",
                    List.of(Argument.ROOM)),
            new Command("msg", "user [text]", "open a direct conversation with user and send text", List.of(Argument.USER, Argument.TEXT)),
            new Command("me", "action", "send an action, shown as: * you action", List.of(Argument.TEXT)),
            new Command("who", "[#room]", "list the members of a room", List.of(Argument.ROOM)),
            new Command("rooms", "", "list the rooms you are in and invited to", List.of()),
            new Command("invite", "user [#room]", "invite user into a room (the current one by default)",
                    List.of(Argument.USER, Argument.ROOM)),
            new Command("kick", "user [#room]", "remove user from a room; they receive nothing sent after that",
                    List.of(Argument.USER, Argument.ROOM)),
            new Command("topic", "[text]", "show the room's topic, or set it", List.of(Argument.TEXT)),
            new Command("verify", "[user] [confirm]", "show the safety number you share with user; confirm marks it verified",
                    List.of(Argument.USER, Argument.WORD)),
            new Command("devices", "", "list your devices", List.of()),
            new Command("reply", "[^n] text", "answer the newest message from someone else, or message n (^1 is the"
                    + " newest)", List.of(Argument.TEXT)),
            new Command("react", "[^n] emoji", "react to the newest message from someone else, or message n",
                    List.of(Argument.TEXT)),
            new Command("unreact", "[^n] emoji", "take your reaction back", List.of(Argument.TEXT)),
            new Command("edit", "[^n] text", "replace the text of your newest message, or of your message n",
                    List.of(Argument.TEXT)),
            new Command("delete", "[^n]", "delete your newest message, or your message n, everywhere",
                    List.of(Argument.WORD)),
            new Command("search", "text", "find messages containing text (ignoring case) in every conversation",
                    List.of(Argument.TEXT)),
            new Command("goto", "n", "show search result n of the last /search in its conversation", List.of(Argument.WORD)),
            new Command("help", "[command]", "list the commands and keys, or explain one command", List.of(Argument.WORD)),
            new Command("quit", "", "leave the chat (Ctrl-C does too)", List.of()));

    /** Shown under the command list by {@code /help}. */
    private static final List<String> KEYS = List.of(
            "Keys: Ctrl-N/Ctrl-P, Alt-Left/Right or Alt-1..9 switch conversation, Alt-A jumps to activity,",
            "      PageUp/PageDown scroll (past the first line: older history), Tab completes commands, rooms",
            "      and nicks, Up/Down recall lines,",
            "      Ctrl-A/E/B/F/W/U/K/Y/D and Alt-B/F/D edit as in Emacs, Ctrl-L redraws, Ctrl-C quits.",
            "Messages are numbered back from the newest for /reply /react /unreact /edit /delete: ^1 is the",
            "      newest, ^2 the one before (e.g. /react ^2 +1); without ^n they pick the obvious one.",
            "Start a line with // to send text that begins with /.");

    private ChatCommands() {
    }

    public static Optional<Command> find(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        return ALL.stream().filter(c -> c.name().equals(n.toLowerCase(Locale.ROOT))).findFirst();
    }

    /** Every help line, as {@code /help} shows them. */
    public static List<String> help() {
        var lines = new ArrayList<String>();
        lines.add("Commands:");
        for (Command c : ALL) {
            lines.add(String.format(Locale.ROOT, "  %-22s %s", c.synopsis(), c.help()));
        }
        lines.addAll(KEYS);
        return lines;
    }

    /** Interprets a line typed in {@code state}'s current conversation. */
    public static CommandOutcome parse(String line, ChatState state) {
        if (line.isBlank()) {
            return new Nothing();
        }
        ConversationId current = state.current().id();
        if (!line.startsWith("/") || line.startsWith("//")) {
            String text = line.startsWith("//") ? line.substring(1) : line;
            if (current.equals(ConversationId.STATUS)) {
                return new Fail("this is the status window: /join #room or /msg user to talk to someone");
            }
            return new Perform(new UserAction.SendText(current, text), Optional.empty());
        }
        int space = line.indexOf(' ');
        String name = (space < 0 ? line.substring(1) : line.substring(1, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        Optional<Command> command = find(name);
        if (command.isEmpty()) {
            return new Fail("unknown command /" + name + " (/help lists the commands)");
        }
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        return switch (command.get().name()) {
            case "join" -> join(words, state);
            case "leave" -> leave(words, current);
            case "msg" -> msg(rest);
            case "me" -> me(rest, current);
            case "who" -> roomOrCurrent(words.length > 0 ? words[0] : null, current)
                    .<CommandOutcome>map(room -> run(new Operation.ListMembers(room.name())))
                    .orElseGet(() -> usage("who"));
            case "rooms" -> run(new Operation.ListRooms());
            case "invite", "kick" -> userAndRoom(command.get().name(), words, current);
            case "topic" -> topic(rest, state);
            case "verify" -> verify(words, current);
            case "devices" -> run(new Operation.ListDevices());
            case "reply", "react", "unreact", "edit" -> rest.isEmpty() || rest.startsWith("^") && !rest.contains(" ")
                    ? usage(command.get().name()) : InteractionCommands.parse(command.get().name(), rest, state);
            case "delete" -> InteractionCommands.parse("delete", rest, state);
            case "search" -> rest.isEmpty() ? usage("search")
                    : new Perform(new UserAction.Search(rest), Optional.empty());
            case "goto" -> jump(words, state);
            case "help" -> help(words);
            case "quit" -> new Perform(new UserAction.Quit(), Optional.empty());
            default -> throw new IllegalStateException("command without a parser: " + name);
        };
    }

    /** A client operation, with no window to focus. */
    private static Perform run(Operation.Common operation) {
        return new Perform(new UserAction.Run(operation), Optional.empty());
    }

    private static Fail usage(String name) {
        Command c = find(name).orElseThrow();
        return new Fail("usage: " + c.synopsis() + " (" + c.help() + ")");
    }

    private static Optional<ConversationId> room(String word) {
        String name = word.startsWith("#") ? word.substring(1) : word;
        return ConversationId.validName(name) ? Optional.of(ConversationId.room(name)) : Optional.empty();
    }

    private static Optional<String> user(String word) {
        String name = word.startsWith("@") ? word.substring(1) : word;
        return ConversationId.validName(name) ? Optional.of(name.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** The room named by {@code word}, or the current conversation if it is a room and word is null. */
    private static Optional<ConversationId> roomOrCurrent(String word, ConversationId current) {
        if (word != null) {
            return room(word);
        }
        return current.isRoom() ? Optional.of(current) : Optional.empty();
    }

    private static CommandOutcome join(String[] words, ChatState state) {
        if (words.length != 1) {
            return usage("join");
        }
        Optional<ConversationId> room = room(words[0]);
        if (room.isEmpty()) {
            return new Fail("a room name is 1 to 32 of a-z 0-9 _ . - (for example #general)");
        }
        if (state.find(room.get()).isPresent()) {
            return new Focus(room.get());
        }
        // the window opens at once, so that what is typed next goes there; a refused join closes it again
        return new Perform(new UserAction.Run(new Operation.JoinRoom(room.get().name())), Optional.of(room.get()));
    }

    private static CommandOutcome leave(String[] words, ConversationId current) {
        if (words.length > 1) {
            return usage("leave");
        }
        if (words.length == 0 && current.isDirect()) {
            return new CloseWindow(current);
        }
        if (words.length == 1 && words[0].startsWith("@")) {
            return user(words[0]).<CommandOutcome>map(u -> new CloseWindow(ConversationId.direct(u)))
                    .orElseGet(() -> usage("leave"));
        }
        return roomOrCurrent(words.length == 1 ? words[0] : null, current)
                .<CommandOutcome>map(room -> run(new Operation.LeaveRoom(room.name())))
                .orElseGet(() -> new Fail("/leave needs a room here: /leave #room"));
    }

    private static CommandOutcome msg(String rest) {
        if (rest.isEmpty()) {
            return usage("msg");
        }
        int space = rest.indexOf(' ');
        String who = space < 0 ? rest : rest.substring(0, space);
        String text = space < 0 ? "" : rest.substring(space + 1).strip();
        Optional<String> user = user(who);
        if (user.isEmpty()) {
            return new Fail("a user name is 1 to 32 of a-z 0-9 _ . -");
        }
        ConversationId direct = ConversationId.direct(user.get());
        if (text.isEmpty()) {
            return new Focus(direct);
        }
        return new Perform(new UserAction.Msg(user.get(), text), Optional.of(direct));
    }

    private static CommandOutcome me(String rest, ConversationId current) {
        if (rest.isEmpty()) {
            return usage("me");
        }
        if (current.equals(ConversationId.STATUS)) {
            return new Fail("/me works in a room or a direct conversation");
        }
        return new Perform(new UserAction.Me(current, rest), Optional.empty());
    }

    /** {@code /invite user [#room]} or {@code /invite #room user}; likewise {@code /kick}. */
    private static CommandOutcome userAndRoom(String name, String[] words, ConversationId current) {
        if (words.length < 1 || words.length > 2) {
            return usage(name);
        }
        String roomWord = null;
        String userWord = null;
        for (String w : words) {
            if (w.startsWith("#") && roomWord == null) {
                roomWord = w;
            } else if (userWord == null) {
                userWord = w;
            } else {
                roomWord = w;
            }
        }
        if (userWord == null) {
            return usage(name);
        }
        Optional<ConversationId> room = roomOrCurrent(roomWord, current);
        Optional<String> user = user(userWord);
        if (room.isEmpty() || user.isEmpty()) {
            return room.isEmpty() && roomWord == null
                    ? new Fail("/" + name + " needs a room here: /" + name + " user #room")
                    : usage(name);
        }
        return run(name.equals("invite")
                ? new Operation.Invite(room.get().name(), user.get())
                : new Operation.Kick(room.get().name(), user.get()));
    }

    private static CommandOutcome topic(String rest, ChatState state) {
        ConversationId current = state.current().id();
        if (!current.isRoom()) {
            return new Fail("/topic works in a room");
        }
        if (rest.isEmpty()) {
            String topic = state.current().topic();
            return new Show(List.of("topic of " + current.label() + ": " + (topic.isEmpty() ? "(none)" : topic)));
        }
        return new Perform(new UserAction.SetTopic(current, rest), Optional.empty());
    }

    private static CommandOutcome verify(String[] words, ConversationId current) {
        if (words.length > 2) {
            return usage("verify");
        }
        boolean confirm = words.length > 0 && isConfirm(words[words.length - 1]);
        int names = words.length - (confirm ? 1 : 0);
        if (names == 0) {
            return current.isDirect()
                    ? run(new Operation.Verify(current.name(), confirm))
                    : new Fail("/verify needs a user here: /verify user");
        }
        if (names > 1) {
            return usage("verify");
        }
        return user(words[0]).<CommandOutcome>map(u -> run(new Operation.Verify(u, confirm)))
                .orElseGet(() -> usage("verify"));
    }

    private static CommandOutcome jump(String[] words, ChatState state) {
        if (words.length != 1 || !words[0].matches("[0-9]{1,6}")) {
            return usage("goto");
        }
        int n = Integer.parseInt(words[0]);
        var hits = state.searchHits();
        if (hits.isEmpty()) {
            return new Fail("no search results: /search text first");
        }
        if (n < 1 || n > hits.size()) {
            return new Fail("/goto takes 1 to " + hits.size() + " (the numbers of the last /search)");
        }
        ChatMessage hit = hits.get(n - 1);
        return new Jump(hit.conversation(), hit.id());
    }

    private static boolean isConfirm(String word) {
        return word.equals("confirm") || word.equals("--confirm");
    }

    private static CommandOutcome help(String[] words) {
        if (words.length == 0) {
            return new Show(help());
        }
        return find(words[0]).<CommandOutcome>map(c -> new Show(List.of(c.synopsis() + ": " + c.help())))
                .orElseGet(() -> new Fail("no command /" + words[0].replaceFirst("^/", "") + " (/help lists the commands)"));
    }
}
