package crumbhub.client.format;

import crumbhub.client.message.Target;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A delivered, opened message as the user sees it.
 *
 * @param conversation the room, or for a direct message the OTHER user (the target when
 *                     {@code from} is the local user, else {@code from})
 * @param from         the sending user
 * @param fromDevice   the sending device id
 * @param seq          the server's sequence number
 * @param time         when the sender wrote it, by the sender's clock from inside the encryption
 *                     (the server's time only for a message from a client that writes none)
 * @param messageId    the sender's 16-byte message id
 * @param text         the decrypted text
 * @param received     the server's timestamp of the delivery, shown only as the receipt time;
 *                     null when not shown (docs/crypto.md, "Envelope")
 * @param interaction  what the message does to an earlier one (reply, reaction, edit, delete), or
 *                     null for a plain message
 */
public record ReceivedMessage(Target conversation, String from, long fromDevice, long seq, Instant time,
                              byte[] messageId, String text, Instant received,
                              crumbhub.client.message.Interaction interaction) {
    public ReceivedMessage(Target conversation, String from, long fromDevice, long seq, Instant time, byte[] messageId,
                           String text) {
        this(conversation, from, fromDevice, seq, time, messageId, text, null, null);
    }

    public ReceivedMessage(Target conversation, String from, long fromDevice, long seq, Instant time, byte[] messageId,
                           String text, Instant received) {
        this(conversation, from, fromDevice, seq, time, messageId, text, received, null);
    }

    public ReceivedMessage {
        Objects.requireNonNull(conversation);
        Objects.requireNonNull(from);
        Objects.requireNonNull(time);
        messageId = messageId.clone();
        Objects.requireNonNull(text);
    }

    /**
     * The conversation a delivered message belongs to, seen from {@code me}: a room message's
     * room; a direct message's peer, which is the addressed user when I sent it (from another
     * of my devices), else the sender.
     */
    public static Target conversationOf(Target addressed, String from, String me) {
        return switch (addressed) {
            case Target.Room room -> room;
            case Target.Direct direct -> from.equals(me) ? direct : new Target.Direct(from);
        };
    }

    public String messageIdHex() {
        return HexFormat.of().formatHex(messageId);
    }

    @Override
    public byte[] messageId() {
        return messageId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedMessage m && conversation.equals(m.conversation) && from.equals(m.from)
               && fromDevice == m.fromDevice && seq == m.seq && time.equals(m.time)
               && java.util.Arrays.equals(messageId, m.messageId) && text.equals(m.text)
               && Objects.equals(received, m.received) && Objects.equals(interaction, m.interaction);
    }

    @Override
    public int hashCode() {
        return Objects.hash(conversation, from, seq);
    }

    /** Leaves out the text: message bodies are never logged. */
    @Override
    public String toString() {
        return "ReceivedMessage[" + conversation.display() + " from " + from + " seq " + seq + "]";
    }
}
