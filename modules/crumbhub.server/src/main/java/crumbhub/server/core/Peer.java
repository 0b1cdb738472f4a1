package crumbhub.server.core;

import crumbhub.wire.EncodedFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.loop.EventLoop;

/**
 * The core's view of one client connection. The network layer implements it over a Noise
 * connection; tests implement it with a fake that records frames.
 */
public interface Peer {
    /**
     * Queues a frame for the client. Any thread; never blocks; frames go out in call order.
     * Returns false if the frame was not queued (connection closing, or its outbound buffer at
     * its hard limit).
     */
    boolean send(Frame frame);

    /**
     * Queues a frame encoded once for many peers (a message's DELIVER), as {@link #send(Frame)}.
     * The network layer shares the bytes; the default sends the frame itself.
     */
    default boolean send(EncodedFrame frame) {
        return send(frame.frame());
    }

    /** Sends what is queued, then closes. Any thread; idempotent. */
    void close();

    /** True while the outbound buffer is over its bound: live pushes pause (protocol §4). Any thread. */
    boolean congested();

    /** Bytes queued for the client and not yet taken by its socket (0 if unknown). Any thread. */
    default long outboundBytes() {
        return 0;
    }

    /** The client's Noise static public key (its device key). */
    byte[] remoteStatic();

    /**
     * The client's address without port, for throttling and logs: an IPv4 address, or the /64
     * prefix of an IPv6 address (the unit of per-address limits).
     */
    String remoteHost();

    /**
     * The event loop that reads this client's frames, or null when they do not come from one: the
     * core takes what a loop hands over in one tick together ({@link CoreExecutor#offer(Runnable, EventLoop)}).
     */
    default EventLoop loop() {
        return null;
    }
}
