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
 * @param created     when it was typed (local clock)
 * @param interaction what it does to an earlier message (reply, reaction, edit, delete), or null
 */
public record OutgoingMessage(MessageId id, Target target, MessageText text, Instant created,
                              crumbhub.client.message.Interaction interaction) {
    public OutgoingMessage(MessageId id, Target target, MessageText text, Instant created) {
        this(id, target, text, created, null);
    }

    /** The string the sealer encrypts: the text as {@link MessageText} encodes it; an emoji or edit as it is. */
    public String body() {
        return interaction == null || interaction instanceof crumbhub.client.message.Interaction.Reply ? text.encode()
                : text.text();
    }

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
