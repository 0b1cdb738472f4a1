package crumbhub.client.chat;

import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.wire.MessageId;

import java.time.Instant;

/**
 * Conversions between the session's message types, the history's records and the UI's lines.
 *
 * <p>A message's id in the UI is {@code sender/messageId}: the server de-duplicates ids per
 * sender only, so another user reusing my message's id must not be able to replace my line.
 */
final class Lines {
    private Lines() {
    }

    static String uiId(String from, String messageId) {
        return from + "/" + messageId;
    }

    static ConversationId conversation(Target t) {
        return ConversationId.of(t);
    }

    static Target target(ConversationId c) {
        return c.target();
    }

    static HistoryRecord.Kind recordKind(MessageText.Kind kind) {
        return switch (kind) {
            case TEXT -> HistoryRecord.Kind.TEXT;
            case ACTION -> HistoryRecord.Kind.ACTION;
            case TOPIC -> HistoryRecord.Kind.TOPIC;
        };
    }

    /** An outgoing message as the history keeps it while it is pending. */
    static HistoryRecord pending(OutgoingMessage m, String me) {
        return new HistoryRecord(recordKind(m.text().kind()), m.id().toString(), me, 0, m.created(), m.text().text(),
                true);
    }

    /** A pending record back as a message to send (after a restart), or null if it is not one. */
    static OutgoingMessage resend(HistoryRecord r, ConversationId where) {
        MessageText.Kind kind = switch (r.kind()) {
            case TEXT -> MessageText.Kind.TEXT;
            case ACTION -> MessageText.Kind.ACTION;
            case TOPIC -> MessageText.Kind.TOPIC;
            case NOTICE, ERROR, LEFT, REACTION, UNREACTION, EDIT, DELETED -> null;
        };
        if (kind == null || !r.pending() || r.id().length() != 32) {
            return null;
        }
        return new OutgoingMessage(MessageId.parse(r.id()), target(where), new MessageText(kind, r.text()), r.time());
    }

    static HistoryRecord received(IncomingMessage.Message m) {
        return new HistoryRecord(recordKind(m.text().kind()), m.id().toString(), m.from(), m.seq(), m.time(),
                m.text().text(), false, m.device(), null,
                m.interaction() instanceof crumbhub.client.message.Interaction.Reply r ? r.to().toString() : "");
    }

    /** The line that stands for a message this device could not read. */
    static HistoryRecord unreadable(IncomingMessage.Unreadable u) {
        return local(HistoryRecord.Kind.ERROR, "u-" + u.id(), u.time(),
                "a message from " + u.from() + " could not be read: " + u.reason());
    }

    /** A local line (notice or error) for the history. */
    static HistoryRecord local(HistoryRecord.Kind kind, String id, Instant time, String text) {
        return new HistoryRecord(kind, id, "", 0, time, text, false);
    }

    /** A record as the UI shows it. */
    static ChatMessage line(HistoryRecord r, ConversationId where) {
        return switch (r.kind()) {
            case TEXT -> new ChatMessage(uiId(r.from(), r.id()), where, r.from(), r.time(), r.text(),
                    ChatMessage.Kind.TEXT, r.pending());
            case ACTION -> new ChatMessage(uiId(r.from(), r.id()), where, r.from(), r.time(), r.text(),
                    ChatMessage.Kind.ACTION, r.pending());
            case TOPIC -> new ChatMessage(uiId(r.from(), r.id()), where, "", r.time(),
                    r.from() + " set the topic: " + r.text() + (r.pending() ? " (pending)" : ""),
                    ChatMessage.Kind.NOTICE, false);
            case NOTICE, LEFT -> new ChatMessage(localId(r), where, "", r.time(), r.text(), ChatMessage.Kind.NOTICE,
                    false);
            case ERROR -> new ChatMessage(localId(r), where, "", r.time(), r.text(), ChatMessage.Kind.ERROR, false);
            case DELETED -> new ChatMessage(uiId(r.from(), r.id()), where, r.from(), r.time(), DELETED_TEXT,
                    ChatMessage.Kind.NOTICE, false);
            // a line of its own only where it is met alone (a search hit): the chat shows these on their message
            case REACTION, UNREACTION, EDIT -> new ChatMessage(uiId(r.from(), r.id()), where, "", r.time(),
                    r.from() + (r.kind() == HistoryRecord.Kind.EDIT ? " edited a message: " + r.text()
                            : (r.kind() == HistoryRecord.Kind.REACTION ? " reacted " : " took back ") + r.text()),
                    ChatMessage.Kind.NOTICE, false);
        };
    }

    /** What the chat shows in place of a deleted message. */
    static final String DELETED_TEXT = "(message deleted)";

    /**
     * A message's line as it stands after its interactions ({@link Interactions#fold}): the latest
     * text with "(edited)", or the tombstone; the reactions after it; a one-line quote of the message
     * it answers before it.
     */
    static ChatMessage shown(Interactions.Shown s, Interactions.Shown repliedTo, ConversationId where) {
        HistoryRecord r = s.message();
        if (s.deleted()) {
            return line(r, where);
        }
        var text = new StringBuilder();
        if (!r.ref().isEmpty() && r.isMessage()) {
            text.append(quote(repliedTo)).append('\n');
        }
        text.append(s.text());
        if (s.edited()) {
            text.append(" (edited)");
        }
        String reactions = s.reactionSummary();
        if (!reactions.isEmpty()) {
            text.append("  [").append(reactions).append(']');
        }
        var plain = new HistoryRecord(r.kind(), r.id(), r.from(), r.seq(), r.time(), text.toString(), r.pending(),
                r.device(), r.received());
        return line(plain, where);
    }

    /** Longest quote of a replied-to message, in characters. */
    private static final int QUOTE_CHARS = 60;

    /** {@code > alice: the first words of the message…}, one line. */
    static String quote(Interactions.Shown original) {
        if (original == null) {
            return "> (an earlier message)";
        }
        if (original.deleted()) {
            return "> " + original.message().from() + ": " + DELETED_TEXT;
        }
        String t = original.text().replace('\n', ' ');
        if (t.length() > QUOTE_CHARS) {
            t = t.substring(0, QUOTE_CHARS - 1) + "\u2026";
        }
        return "> " + original.message().from() + ": " + t;
    }

    /** A line about a message (one not sent) takes that message's place; other local lines have their own ids. */
    private static String localId(HistoryRecord r) {
        return r.from().isEmpty() ? r.id() : uiId(r.from(), r.id());
    }

    /** The line of a message that will not be sent, replacing its pending line. */
    static HistoryRecord notSent(OutgoingMessage m, String me, Failure why) {
        return new HistoryRecord(HistoryRecord.Kind.ERROR, m.id().toString(), me, 0, m.created(),
                "not sent (" + why.message() + "): " + m.text().text(), false);
    }
}
