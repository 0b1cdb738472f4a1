package crumbhub.client.chat;

import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.wire.MessageId;

import java.time.Instant;
import java.util.Objects;

/** A delivered message after opening, as the session hands it to the chat or the daemon. */
public sealed interface IncomingMessage {
    /** The server's sequence number. */
    long seq();

    /**
     * A message this device could read.
     *
     * @param conversation the room, or for a direct message the other user (see
     *                     {@link crumbhub.client.format.ReceivedMessage#conversationOf})
     * @param device       the sending device id
     * @param time         when the sender wrote it, by its clock from inside the encryption (the
     *                     server's time only for a client that writes none, docs/crypto.md "Envelope")
     * @param interaction  what it does to an earlier message (reply, reaction, edit, delete), or null
     */
    record Message(Target conversation, String from, long device, long seq, Instant time, MessageId id,
                   MessageText text, crumbhub.client.message.Interaction interaction) implements IncomingMessage {
        public Message(Target conversation, String from, long device, long seq, Instant time, MessageId id,
                       MessageText text) {
            this(conversation, from, device, seq, time, id, text, null);
        }

        public Message {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A verified membership change of a room (docs/client.md "Membership events"), shown before the
     * delivery ({@code seq}) that made the client read the room's log again.
     */
    record Membership(Target conversation, long seq, crumbhub.client.e2e.E2eClient.RoomEvent event)
            implements IncomingMessage {
        public Membership {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(event, "event");
        }
    }

    /** A message that could not be opened, and why (never its body). */
    record Unreadable(Target conversation, String from, long seq, Instant time, MessageId id, String reason)
            implements IncomingMessage {
    }
}
