package crumbhub.bench;

import crumbhub.wire.loop.EventLoop;

/**
 * One bench connection, CrumbHub or IRC, driven by one {@link EventLoop}. After setup (connect,
 * authenticate, join) a scenario only sends bench messages, pings, and listens; the protocol
 * differences stay behind this interface so both targets are measured by the same code.
 *
 * <p>Methods marked "loop thread" must run on {@link #loop()}; the rest are thread-safe.
 */
public interface LoadClient {

    /** What happens to a bench message that arrives; runs on the loop thread. */
    @FunctionalInterface
    interface ProbeListener {
        /** Counts the delivery in the loop's stats: the default listener. */
        ProbeListener COUNT = (receiver, probe, nowNanos) -> receiver.stats().delivered(probe, nowNanos);

        /** {@code probe} is the loop's reused holder: read it now, do not keep it. */
        void onProbe(LoadClient receiver, Probe probe, long nowNanos);
    }

    /** 0-based position in the run, also the user / nick number. */
    int index();

    EventLoop loop();

    /** The counters of this client's loop. */
    LoopStats stats();

    /**
     * Sends a bench message with {@code probe}'s fields and {@code size} bytes to room {@code room}.
     * Counts it as sent, or as refused when the connection's outbound buffer is full or it is
     * closed. Loop thread.
     *
     * @return whether the message was handed to the connection
     */
    boolean send(int room, Probe probe, int size);

    /**
     * Sends a protocol-level ping; its round trip is counted with {@link LoopStats#pong}. At most
     * one ping is outstanding; returns false if one is, or the connection is closed. Loop thread.
     */
    boolean ping();

    /** Sends anything the client still owes the server for messages received (CrumbHub ACK). Loop thread. */
    void flush();

    /** Replaces the listener for arriving bench messages. Loop thread. */
    void onProbe(ProbeListener listener);

    boolean isOpen();

    /** Closes the connection; idempotent. */
    void close();
}
