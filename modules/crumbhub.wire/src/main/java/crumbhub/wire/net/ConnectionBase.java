package crumbhub.wire.net;

import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.CloseReason;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.EncodedFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * The thread-safe surface of a connection: what any thread may read or ask for. Every send goes
 * through {@link #offer}: room is reserved in the outbound count first, so the hard limit holds
 * across threads; on the loop thread the frame is queued at once, from another thread it travels
 * to the loop in a loop task, gathered with others in the thread's open {@link SendBatch} (the
 * server's core) or on its own. The loop-thread work itself is {@link NoiseConnection}'s.
 */
abstract sealed class ConnectionBase implements Connection permits NoiseConnection {
    private static final Log LOG = Log.get(ConnectionBase.class.getName());
    private static final VarHandle PENDING;

    static {
        try {
            var lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(ConnectionBase.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final InetSocketAddress remoteAddress;
    final ConnectionOptions options;
    final Outbound outbound;
    /**
     * Hand-overs of frames from other threads that have not reached the loop yet: one per
     * {@link SendBatch} hand-over holding frames for this connection, one per frame sent in its
     * own task. While any are on their way, a closing connection waits for them.
     */
    private volatile int pending;
    /**
     * The {@link SendBatch} hand-over this connection's last batched frame went into; written and
     * read by batching threads only (a race between two of them costs one extra count, always
     * matched by its own arrival).
     */
    int batchMark;

    /**
     * The lifecycle state ({@link ConnectionState}): written by {@link NoiseConnection} on the loop
     * thread only, one assignment per transition; read by any thread.
     */
    volatile ConnectionState state = ConnectionState.Connecting.NOT_STARTED;
    /** The writability with hysteresis; see {@link #isWritable()}. */
    volatile boolean writable = true;
    /** The finished handshake's result (peer key, handshake hash), or null before; its keys belong to the loop. */
    volatile TransportState established;
    private volatile Object attachment;

    ConnectionBase(EventLoop loop, InetSocketAddress remoteAddress, ConnectionOptions options) {
        this.loop = loop;
        this.remoteAddress = remoteAddress;
        this.options = options;
        this.outbound = new Outbound(options.rekeyInterval());
    }

    /**
     * Queues a {@link Frame} or an {@link EncodedFrame} whose size is reserved; loop thread.
     * Returns false (and releases) if closed.
     */
    abstract boolean enqueue(Object frame, int size);

    /** Closes at once; loop thread. */
    abstract void closeNow(CloseReason reason);

    /** Flushes, then closes; loop thread. */
    abstract void beginClosing(CloseReason reason);

    @Override
    public final boolean send(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        return offer(frame, FrameCodec.encodedLength(frame));
    }

    @Override
    public final boolean send(EncodedFrame frame) {
        Objects.requireNonNull(frame, "frame");
        return offer(frame, frame.length());
    }

    /**
     * The one send path. On the loop thread a frame is queued at once. From another thread it is
     * handed over: gathered in the thread's open {@link SendBatch} (the server's core), which
     * reaches each loop in one task when flushed, or else in a loop task of its own. Either way
     * it travels in a loop task, so the frames one thread sends arrive in the order it sent them,
     * and it counts in {@link #pending} until it arrives.
     */
    private boolean offer(Object frame, int size) {
        if (refusesFrames(state) || !outbound.tryReserve(size, options.outboundHardLimit())) {
            return false;
        }
        if (loop.inLoop()) {
            return enqueue(frame, size);
        }
        SendBatch batch = SendBatch.current();
        if (batch != null) {
            batch.add(this, frame);
            return true;
        }
        countPending(1);
        try {
            loop.execute(() -> enqueuePending(frame, true));
            return true;
        } catch (RejectedExecutionException e) {
            abandonPending(frame, true);
            return false;
        }
    }

    /** Whether {@code send} refuses frames in state {@code s}: closing or closed. */
    static boolean refusesFrames(ConnectionState s) {
        return s instanceof ConnectionState.Closing || s instanceof ConnectionState.FinSent
                || s instanceof ConnectionState.Closed;
    }

    /** Adds {@code delta} to the count of deliveries (hand-overs or own tasks) on their way to the loop. */
    final void countPending(int delta) {
        PENDING.getAndAdd(this, delta);
    }

    /**
     * A pending frame (from a {@link SendBatch}, or sent in its own task) reached the loop; if
     * {@code counted}, its arrival ends one count of {@link #pending}. Loop thread.
     */
    final void enqueuePending(Object frame, boolean counted) {
        if (counted) {
            countPending(-1);
        }
        enqueue(frame, Outbound.sizeOf(frame));
    }

    /** A pending frame will never reach the loop (it shut down). Any thread. */
    final void abandonPending(Object frame, boolean counted) {
        if (counted) {
            countPending(-1);
        }
        outbound.release(Outbound.sizeOf(frame));
    }

    /** Whether frames sent from other threads have yet to reach the loop. */
    boolean hasHandoff() {
        return pending != 0;
    }

    @Override
    public final void close() {
        onLoop(() -> closeNow(CloseReason.of(Kind.LOCAL, "closed by this side")));
    }

    @Override
    public final void closeAfterFlush() {
        onLoop(() -> beginClosing(CloseReason.of(Kind.LOCAL, "closed by this side")));
    }

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
            return;
        }
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            // the loop's shutdown closes every connection it owns anyway
            LOG.debug("close_after_loop_shutdown", "addr", remoteAddress);
        }
    }

    @Override
    public final boolean isOpen() {
        return state instanceof ConnectionState.Open;
    }

    @Override
    public final byte[] remoteStatic() {
        TransportState t = established;
        return t == null ? null : t.remoteStatic(); // a copy
    }

    @Override
    public final byte[] handshakeHash() {
        TransportState t = established;
        return t == null ? null : t.handshakeHash(); // a copy
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final long outboundBytes() {
        return outbound.bytes();
    }

    @Override
    public final boolean isWritable() {
        return writable && outbound.bytes() <= options.outboundSoftLimit();
    }

    @Override
    public final Object attachment() {
        return attachment;
    }

    @Override
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public final CloseReason closeReason() {
        return state instanceof ConnectionState.Closed closed ? closed.reason() : null;
    }
}
