package crumbhub.client.tui.chat;

import crumbhub.client.ClientException;
import crumbhub.client.message.Interaction;
import crumbhub.client.model.ChatMessage;
import crumbhub.client.ops.Operation;
import crumbhub.client.tui.chat.CommandOutcome.Fail;
import crumbhub.client.tui.chat.CommandOutcome.Perform;
import crumbhub.wire.MessageId;

import java.util.Optional;

/**
 * {@code /reply}, {@code /react}, {@code /unreact}, {@code /edit} and {@code /delete}
 * (docs/chat.md "Replies, reactions, edits and deletes"). A message is picked by counting back
 * from the newest line of the conversation: {@code ^1} is the newest message, {@code ^2} the one
 * before it (the numbers {@code /pick} shows). Without {@code ^N}, a reply or a reaction goes to
 * the newest message from someone else, an edit or a delete to your own newest message: the
 * common case (answering what was just said, fixing what you just sent) needs no number at all.
 */
final class InteractionCommands {
    /** How far back {@code ^N} reaches. */
    static final int MAX_BACK = 99;

    private InteractionCommands() {
    }

    static CommandOutcome parse(String name, String rest, ChatState state) {
        String pick = null;
        String args = rest;
        if (rest.startsWith("^")) {
            int space = rest.indexOf(' ');
            pick = space < 0 ? rest.substring(1) : rest.substring(1, space);
            args = space < 0 ? "" : rest.substring(space + 1).strip();
        }
        boolean own = name.equals("edit") || name.equals("delete");
        Optional<ChatMessage> target = pick(state, pick, own);
        if (target.isEmpty()) {
            return new Fail(pick != null ? "no message ^" + pick + " here (^1 is the newest; at most ^" + MAX_BACK + ")"
                    : own ? "you have sent no message here to " + name : "there is no message from someone else here");
        }
        ChatMessage m = target.get();
        if (own && !m.from().equals(state.user())) {
            return new Fail("only the author edits or deletes a message: that one is " + m.from() + "'s");
        }
        MessageId id = idOf(m);
        if (id == null) {
            return new Fail("that line is not a message");
        }
        Interaction what = switch (name) {
            case "reply" -> new Interaction.Reply(id);
            case "react" -> new Interaction.React(id, false);
            case "unreact" -> new Interaction.React(id, true);
            case "edit" -> new Interaction.Edit(id);
            default -> new Interaction.Delete(id);
        };
        if (what instanceof Interaction.Delete && !args.isEmpty()) {
            return new Fail("usage: /delete [^n] (your newest message, or message n)");
        }
        try {
            return new Perform(new crumbhub.client.model.UserAction.Run(new Operation.Interact(Optional.empty(), what,
                    args)), Optional.empty());
        } catch (ClientException e) {
            return new Fail("/" + name + ": " + e.getMessage());
        }
    }

    /** The message picked: {@code ^N} counted back over messages, or the newest one of the kind wanted. */
    private static Optional<ChatMessage> pick(ChatState state, String pick, boolean own) {
        Scrollback lines = state.current().scrollback();
        int wanted = 1;
        if (pick != null) {
            if (!pick.matches("[1-9][0-9]?")) {
                return Optional.empty();
            }
            wanted = Integer.parseInt(pick);
        }
        int seen = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            ChatMessage m = lines.get(i).message();
            if (!m.fromSomeone() || idOf(m) == null) {
                continue;
            }
            if (pick != null) {
                if (++seen == wanted) {
                    return Optional.of(m);
                }
            } else if (m.from().equals(state.user()) == own && !m.pending()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The message id of a line ({@code from/id}), or null for a local line. */
    static MessageId idOf(ChatMessage m) {
        int slash = m.id().lastIndexOf('/');
        String hex = slash < 0 ? "" : m.id().substring(slash + 1);
        return hex.matches("[0-9a-f]{32}") ? MessageId.parse(hex) : null;
    }
}
