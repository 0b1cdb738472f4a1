package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.loop.EventLoop;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The thread-safe surface of a connection: what any thread may read or ask for. Frames sent from
 * other threads wait in a lock-free hand-off queue, drained by one task per loop tick however many
 * frames arrive; room for them is reserved in the outbound count first, so the hard limit holds
 * across threads. The loop-thread work itself is {@link NoiseConnection}'s.
 */
abstract sealed class ConnectionBase implements Connection permits NoiseConnection {
    private static final System.Logger LOG = System.getLogger(ConnectionBase.class.getName());

    final EventLoop loop;
    final InetSocketAddress remoteAddress;
    final ConnectionOptions options;
    final Outbound outbound;
    private final Queue<Frame> handoff = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean handoffScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainHandoff;

    /** False once closing or closed: send refuses frames. */
    volatile boolean acceptingFrames = true;
    /** The writability with hysteresis; see {@link #isWritable()}. */
    volatile boolean writable = true;
    volatile byte[] remoteStatic;
    volatile byte[] handshakeHash;
    volatile CloseReason closeReason;
    private volatile Object attachment;

    ConnectionBase(EventLoop loop, InetSocketAddress remoteAddress, ConnectionOptions options) {
        this.loop = loop;
        this.remoteAddress = remoteAddress;
        this.options = options;
        this.outbound = new Outbound(options.rekeyInterval());
    }

    /** Queues a frame whose size is reserved; loop thread. Returns false (and releases) if closed. */
    abstract boolean enqueue(Frame frame, int size);

    /** Closes at once; loop thread. */
    abstract void closeNow(CloseReason reason);

    /** Flushes, then closes; loop thread. */
    abstract void beginClosing(CloseReason reason);

    @Override
    public final boolean send(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        if (!acceptingFrames) {
            return false;
        }
        int size = FrameCodec.encodedLength(frame);
        if (!outbound.tryReserve(size, options.outboundHardLimit())) {
            return false;
        }
        if (loop.inLoop()) {
            return enqueue(frame, size);
        }
        handoff.add(frame);
        if (handoffScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                handoff.clear();
                return false;
            }
        }
        return true;
    }

    private void drainHandoff() {
        handoffScheduled.set(false);
        Frame f;
        while ((f = handoff.poll()) != null) {
            enqueue(f, FrameCodec.encodedLength(f));
        }
    }

    boolean hasHandoff() {
        return !handoff.isEmpty();
    }

    void clearHandoff() {
        handoff.clear();
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
            LOG.log(Level.DEBUG, "event=close_after_loop_shutdown addr=" + remoteAddress);
        }
    }

    @Override
    public final boolean isOpen() {
        return acceptingFrames && remoteStatic != null;
    }

    @Override
    public final byte[] remoteStatic() {
        byte[] k = remoteStatic;
        return k == null ? null : k.clone();
    }

    @Override
    public final byte[] handshakeHash() {
        byte[] h = handshakeHash;
        return h == null ? null : h.clone();
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
