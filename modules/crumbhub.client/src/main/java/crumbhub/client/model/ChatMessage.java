package crumbhub.client.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a conversation as the UI shows it: a message someone sent (decrypted by the
 * session), an action ({@code /me}), or a notice or error from the client itself.
 *
 * @param id unique within the conversation; a message posted again with the same id replaces
 *           the earlier one (this is how a pending message becomes sent)
 * @param from the sender's user name; empty for notices and errors
 * @param pending queued locally, not yet accepted by the server (shown with a mark)
 */
public record ChatMessage(String id, ConversationId conversation, String from, Instant time, String text,
                          Kind kind, boolean pending) {
    public enum Kind { TEXT, ACTION, NOTICE, ERROR }

    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }

    public static ChatMessage text(String id, ConversationId conversation, String from, Instant time, String text) {
        return new ChatMessage(id, conversation, from, time, text, Kind.TEXT, false);
    }

    public ChatMessage asPending(boolean isPending) {
        return new ChatMessage(id, conversation, from, time, text, kind, isPending);
    }

    /** Whether someone wrote this (as opposed to a notice from the client). */
    public boolean fromSomeone() {
        return kind == Kind.TEXT || kind == Kind.ACTION;
    }

    /** Bodies are private: never in logs. */
    @Override
    public String toString() {
        return "ChatMessage[" + id + " " + conversation + " from=" + from + " " + kind + (pending ? " pending" : "")
                + " " + text.length() + " chars]";
    }
}
