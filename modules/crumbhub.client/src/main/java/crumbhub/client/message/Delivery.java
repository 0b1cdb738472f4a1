package crumbhub.client.message;

import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;

import java.util.Objects;

/**
 * A delivered message as the server sent it (protocol DELIVER): the conversation as the sender
 * addressed it, the sending user and device, the server's seq, the wire message id and the body.
 * Nothing here is authenticated until {@link MessageOpener#open} says so.
 */
public record Delivery(Target target, String from, int fromDevice, long seq, MessageId id, SealedBody body) {
    public Delivery {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
    }

    public static Delivery of(MessageFrame.Deliver d) {
        return new Delivery(Target.of(d.kind().code(), d.target()), d.from(), d.fromDevice(), d.seq(), d.messageId(),
                new SealedBody(d.alg(), d.body()));
    }
}
