package crumbhub.client.message;

import crumbhub.client.net.ClientSession;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A sealed message: the requests that carry it, to be sent in this order, each answered by
 * SEND_OK. Earlier requests hand key material to devices that need it (SEND_DEVICES); the last
 * one carries the message. Each request has its own message id, so resending any of them after
 * a lost reply is de-duplicated by the server. Once every request was answered, call
 * {@link #sent()} so the sealer records who has its keys; a message that was never confirmed
 * leaves that record alone, and the keys are simply sent again with the next message.
 */
public final class SealedMessage {
    private final Target target;
    private final MessageId id;
    private final List<IntFunction<Frame>> requests;
    private final Runnable onSent;

    public SealedMessage(Target target, MessageId id, List<IntFunction<Frame>> requests, Runnable onSent) {
        this.target = Objects.requireNonNull(target, "target");
        this.id = Objects.requireNonNull(id, "id");
        this.requests = List.copyOf(requests);
        this.onSent = Objects.requireNonNull(onSent, "onSent");
        if (this.requests.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one request");
        }
    }

    public Target target() {
        return target;
    }

    /** The message id the recipients see. */
    public MessageId id() {
        return id;
    }

    /** Builders of the request frames from a request id, in sending order. */
    public List<IntFunction<Frame>> requests() {
        return requests;
    }

    /** Every request got SEND_OK. Call once. */
    public void sent() {
        onSent.run();
    }

    /**
     * Sends every request in order over {@code session}, waiting for each SEND_OK, then calls
     * {@link #sent()}; returns the last SEND_OK. Blocking. A failure leaves the rest unsent; the
     * caller may reconnect and call this again (the server de-duplicates what already arrived).
     *
     * @throws crumbhub.client.ClientException refused or network, from {@link ClientSession#call}
     */
    public MessageFrame.SendOk sendOver(ClientSession session) {
        MessageFrame.SendOk last = null;
        for (IntFunction<Frame> request : requests) {
            last = session.call("send to " + target.display(), request, MessageFrame.SendOk.class);
        }
        sent();
        return last;
    }

    @Override
    public String toString() {
        return "SealedMessage[" + target.display() + ", " + id + ", requests=" + requests.size() + "]";
    }
}
