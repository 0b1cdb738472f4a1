package crumbhub.client.chat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chat's lines with replies, reactions, edits and deletes folded in (docs/chat.md "Replies,
 * reactions, edits and deletes"): a reaction, an edit or a delete is no line of its own but changes
 * the line of its message (reaction counts after it, "(edited)", the tombstone), and a reply
 * starts with a one-line quote of the message it answers. Session thread; reads the history.
 */
final class ChatLines {
    /** Records read back to find what changed a message: its reactions and edits are near it in practice. */
    private static final int LOOK_BACK = 2_000;

    private ChatLines() {
    }

    /** The lines of {@code records} (time order) as the chat shows them. */
    static List<ChatMessage> lines(List<HistoryRecord> records, ConversationId where) {
        Map<String, Interactions.Shown> shown = Interactions.fold(records);
        var out = new ArrayList<ChatMessage>(records.size());
        for (HistoryRecord r : records) {
            switch (r.kind()) {
                case REACTION, UNREACTION, EDIT -> { }
                case TEXT, ACTION, DELETED -> out.add(Lines.shown(shown.get(r.id()), shown.get(r.ref()), where));
                default -> out.add(Lines.line(r, where));
            }
        }
        return out;
    }

    /**
     * The line of message {@code id} as it stands now, to replace the one on screen after an
     * interaction arrived; empty when the history does not have it.
     */
    static Optional<ChatMessage> current(HistoryStore history, ConversationId where, String id) {
        Optional<HistoryRecord> original = Interactions.find(history, where, id);
        if (original.isEmpty()) {
            return Optional.empty();
        }
        String quoted = original.get().ref();
        var related = new ArrayList<>(history.page(where, Long.MAX_VALUE, LOOK_BACK,
                r -> r.id().equals(id) || r.ref().equals(id) || !quoted.isEmpty() && r.id().equals(quoted)).records());
        Map<String, Interactions.Shown> shown = Interactions.fold(related);
        Interactions.Shown s = shown.get(id);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(Lines.shown(s, original.get().kind() == HistoryRecord.Kind.DELETED ? null
                : shown.get(quoted), where));
    }
}
