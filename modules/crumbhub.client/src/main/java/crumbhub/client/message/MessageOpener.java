package crumbhub.client.message;

import crumbhub.wire.MessageId;

/** The reverse of {@link MessageSealer}: a delivered body back to text, if this device can read it. */
public interface MessageOpener {
    /** What opening gave: the text, a key update with nothing to show, or why it cannot be read (never the body itself). */
    sealed interface Result {
        /**
         * A message to show; {@code id} is the sender's message id, the same on every device that
         * receives it. {@code sentAt} is the sender's clock when it wrote the message, from inside
         * the encryption (docs/crypto.md, "Envelope"); null for a message from a client that wrote
         * none (envelope version 1). {@code interaction}: what the message does to an earlier one
         * (a reply, reaction, edit or delete), or null for a plain message.
         */
        record Opened(MessageId id, String text, java.time.Instant sentAt, Interaction interaction) implements Result {
            public Opened(MessageId id, String text) {
                this(id, text, null, null);
            }

            public Opened(MessageId id, String text, java.time.Instant sentAt) {
                this(id, text, sentAt, null);
            }

            /** The time to show: the sender's, or {@code received} (the server's) when the sender wrote none. */
            public java.time.Instant shownTime(java.time.Instant received) {
                return sentAt != null ? sentAt : received;
            }

            @Override
            public String toString() {
                return "Opened[" + id + ", <redacted>]";
            }
        }

        /** Key material (a sender key for a room) that was stored; there is nothing to show, but the message is handled. */
        record Control(String what) implements Result {}

        /** The message cannot be read; {@code reason} is a sentence for the user. It should be reported once and acknowledged. */
        record Unreadable(String reason) implements Result {}
    }

    /**
     * Opens one delivered message. Blocking (local store only, no network); it stores the
     * advanced key state before it returns, so the caller shows the result and acknowledges the
     * message. Opening the same delivery again (after a crash before the acknowledgement, same
     * seq) gives the same result; a message already shown that comes again under another seq (a
     * replay) gives a {@link Result.Control}, so it is shown once (docs/crypto.md, "Replay window").
     */
    Result open(Delivery message);

    /**
     * Fetches beforehand what {@link #open} would otherwise fetch from the server (the listing of
     * a sending device's account not checked yet), so that a lost connection stops the caller
     * before it opens the message rather than making it unreadable. Blocking, network; nothing by
     * default (an opener that never needs the network).
     *
     * @throws crumbhub.client.ClientException network if the connection failed: nothing was
     *         opened or stored; open the message after reconnecting, and do not acknowledge it
     */
    default void prefetch(Delivery message) {
    }
}
