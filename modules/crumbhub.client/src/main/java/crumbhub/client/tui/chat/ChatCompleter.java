package crumbhub.client.tui.chat;

import crumbhub.client.model.ConversationId;
import crumbhub.client.tui.chat.Command.Argument;
import crumbhub.client.tui.input.Completer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SequencedSet;

/**
 * Tab completion for the chat input line: command names at the start of a line; then, by what
 * the command expects at that position, rooms or users; {@code #…} completes rooms and
 * {@code @…} direct conversations anywhere; any other word completes nicks of the current
 * conversation, most recent speakers first, with {@code ": "} after a nick at the line start.
 * Matching ignores case. UI thread only (reads {@link ChatState}).
 */
public final class ChatCompleter implements Completer {
    private final ChatState state;

    public ChatCompleter(ChatState state) {
        this.state = state;
    }

    @Override
    public List<String> complete(String line, int wordStart, int cursor) {
        String word = line.substring(wordStart, cursor).toLowerCase(Locale.ROOT);
        if (wordStart == 0 && word.startsWith("/")) {
            return ChatCommands.ALL.stream().map(c -> "/" + c.name()).filter(n -> n.startsWith(word))
                    .map(n -> n + " ").toList();
        }
        if (word.startsWith("#")) {
            return rooms(word.substring(1));
        }
        if (word.startsWith("@")) {
            return matching(users(), word.substring(1)).stream().map(u -> "@" + u + " ").toList();
        }
        Argument expected = argumentAt(line, wordStart);
        if (expected == Argument.ROOM) {
            return rooms(word);
        }
        if (expected == Argument.USER) {
            return matching(users(), word).stream().map(u -> u + " ").toList();
        }
        if (word.isEmpty()) {
            return List.of();
        }
        String suffix = wordStart == 0 ? ": " : " ";
        return matching(nicks(), word).stream().map(n -> n + suffix).toList();
    }

    /** What the command at the start of the line expects for the word at {@code wordStart}, if known. */
    private static Argument argumentAt(String line, int wordStart) {
        if (!line.startsWith("/")) {
            return Argument.TEXT;
        }
        String before = line.substring(0, wordStart).strip();
        String[] words = before.split("\\s+");
        var command = ChatCommands.find(words[0]);
        int index = words.length - 1;
        if (command.isEmpty() || index < 0 || index >= command.get().arguments().size()) {
            return Argument.TEXT;
        }
        return command.get().arguments().get(index);
    }

    private List<String> rooms(String prefix) {
        return state.conversations().stream().map(Conversation::id).filter(ConversationId::isRoom)
                .map(ConversationId::name).filter(n -> n.startsWith(prefix)).map(n -> "#" + n + " ").toList();
    }

    /** Nicks in the current conversation: recent speakers, then the other members, then the rest. */
    private List<String> nicks() {
        SequencedSet<String> all = new LinkedHashSet<>(state.current().recentSpeakers());
        all.addAll(state.current().members().stream().sorted().toList());
        if (state.current().id().isDirect()) {
            all.add(state.current().id().name());
        }
        all.remove(state.user());
        return new ArrayList<>(all);
    }

    /** Every user the client knows of: nicks here, then direct conversations, then members elsewhere. */
    private List<String> users() {
        SequencedSet<String> all = new LinkedHashSet<>(nicks());
        for (Conversation c : state.conversations()) {
            if (c.id().isDirect()) {
                all.add(c.id().name());
            }
        }
        for (Conversation c : state.conversations()) {
            all.addAll(c.recentSpeakers());
            all.addAll(c.members().stream().sorted().toList());
        }
        all.remove(state.user());
        return new ArrayList<>(all);
    }

    private static List<String> matching(List<String> names, String prefix) {
        return names.stream().filter(n -> n.toLowerCase(Locale.ROOT).startsWith(prefix)).toList();
    }
}
