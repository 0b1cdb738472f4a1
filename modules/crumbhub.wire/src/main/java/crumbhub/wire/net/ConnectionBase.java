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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The thread-safe surface of a connection: what any thread may read or ask for. Frames sent from
 * other threads wait in a lock-free hand-off queue, drained by one task per loop tick however many
 * frames arrive, or, from a thread with an open {@link SendBatch}, wait there until it flushes; room
 * for them is reserved in the outbound count first, so the hard limit holds across threads. The
 * loop-thread work itself is {@link NoiseConnection}'s.
 */
abstract sealed class ConnectionBase implements Connection permits NoiseConnection {
    private static final Log LOG = Log.get(ConnectionBase.class.getName());
    private static final VarHandle PENDING;
    private static final VarHandle HANDOFF;
    private static final VarHandle HANDOFF_SCHEDULED;

    static {
        try {
            var lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(ConnectionBase.class, "pending", int.class);
            HANDOFF = lookup.findVarHandle(ConnectionBase.class, "handoff", Queue.class);
            HANDOFF_SCHEDULED = lookup.findVarHandle(ConnectionBase.class, "handoffScheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final InetSocketAddress remoteAddress;
    final ConnectionOptions options;
    final Outbound outbound;
    /**
     * Frames from other threads ({@link Frame}s and {@link EncodedFrame}s), created on first use
     * through {@link #HANDOFF} (most connections never need one: the server's core thread sends
     * through a {@link SendBatch}).
     */
    private volatile Queue<Object> handoff;
    /** Whether a drain task is queued on the loop; set through {@link #HANDOFF_SCHEDULED}. */
    private volatile boolean handoffScheduled;
    /**
     * Deliveries of frames from other threads that travel in loop tasks rather than the hand-off
     * queue and have not reached the loop yet: one per {@link SendBatch} hand-over holding frames
     * for this connection, one per frame sent in its own task. While any are on their way, later
     * sends also take their own task, so none overtakes them.
     */
    private volatile int pending;
    /**
     * The {@link SendBatch} hand-over this connection's last batched frame went into; written and
     * read by batching threads only (a race between two of them costs one extra count, always
     * matched by its own arrival).
     */
    int batchMark;

    /** False once closing or closed: send refuses frames. */
    volatile boolean acceptingFrames = true;
    /** The writability with hysteresis; see {@link #isWritable()}. */
    volatile boolean writable = true;
    /** The finished handshake's result (peer key, handshake hash), or null before; its keys belong to the loop. */
    volatile TransportState established;
    volatile CloseReason closeReason;
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

    private boolean offer(Object frame, int size) {
        if (!acceptingFrames) {
            return false;
        }
        if (!outbound.tryReserve(size, options.outboundHardLimit())) {
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
        if (pending != 0) {
            // frames of a flushed batch are on their way in a loop task: a frame put in the hand-off
            // queue now could be drained by an earlier-queued drain task and overtake them
            return sendInOwnTask(frame);
        }
        handoffQueue().add(frame);
        if (HANDOFF_SCHEDULED.compareAndSet(this, false, true)) {
            try {
                loop.execute(this::drainHandoff);
            } catch (RejectedExecutionException e) {
                clearHandoff();
                return false;
            }
        }
        return true;
    }

    private boolean sendInOwnTask(Object frame) {
        countPending(1);
        try {
            loop.execute(() -> enqueuePending(frame, true));
            return true;
        } catch (RejectedExecutionException e) {
            abandonPending(frame, true);
            return false;
        }
    }

    private Queue<Object> handoffQueue() {
        Queue<Object> q = handoff;
        if (q == null) {
            HANDOFF.compareAndSet(this, null, new ConcurrentLinkedQueue<>());
            q = handoff;
        }
        return q;
    }

    private void drainHandoff() {
        handoffScheduled = false;
        Queue<Object> q = handoff;
        Object f;
        while ((f = q.poll()) != null) {
            enqueue(f, Outbound.sizeOf(f));
        }
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
        Queue<Object> q = handoff;
        return q != null && !q.isEmpty() || pending != 0;
    }

    /** Drops the frames waiting in the hand-off queue and gives back their room. */
    void clearHandoff() {
        Queue<Object> q = handoff;
        Object f;
        while (q != null && (f = q.poll()) != null) {
            outbound.release(Outbound.sizeOf(f));
        }
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
        return acceptingFrames && established != null;
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
        return closeReason;
    }
}
