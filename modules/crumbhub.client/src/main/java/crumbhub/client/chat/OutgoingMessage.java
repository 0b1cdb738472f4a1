package crumbhub.client.chat;

import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.wire.MessageId;

import java.time.Instant;
import java.util.Objects;

/**
 * A message the user sends. Its id is chosen once, when it is typed, and kept through every
 * resend (after a reconnect, after a restart), so the server stores it once (protocol §4).
 *
 * @param created when it was typed (local clock)
 */
public record OutgoingMessage(MessageId id, Target target, MessageText text, Instant created) {
    public OutgoingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(created, "created");
    }

    @Override
    public String toString() {
        return "OutgoingMessage[" + id + " to " + target.display() + " " + text.kind() + "]";
    }
}
