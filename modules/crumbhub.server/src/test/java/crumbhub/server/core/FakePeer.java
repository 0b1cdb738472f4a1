package crumbhub.server.core;

import crumbhub.wire.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A connection that records what the core sends to it. Reading the next frame runs the core of
 * its {@link Harness}, moving time on to the next timer while no frame comes (a reply held back by
 * the login throttle arrives without a wait); {@link #drain()} runs the core without moving time.
 */
final class FakePeer implements Peer {
    final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    /** MEMBERSHIP_CHANGED pushes, set aside from {@link #frames} as a client's push handler takes them. */
    final LinkedBlockingQueue<Frame> membership = new LinkedBlockingQueue<>();
    /** How long, on the core's clock, {@link #next()} waits: longer than any hold-back a test sets up. */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Harness harness;
    final byte[] key;
    final String host;
    volatile boolean congested;
    volatile boolean closed;

    FakePeer(int keyByte, String host, Harness harness) {
        this.harness = harness;
        key = new byte[32];
        key[0] = (byte) keyByte;
        key[31] = 1;
        this.host = host;
    }

    @Override
    public boolean send(Frame frame) {
        if (closed) {
            return false;
        }
        (frame instanceof crumbhub.wire.MembershipFrame.MembershipChanged ? membership : frames).add(frame);
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean congested() {
        return congested;
    }

    @Override
    public byte[] remoteStatic() {
        return key.clone();
    }

    @Override
    public String remoteHost() {
        return host;
    }

    /**
     * The next frame, running the core (and moving time to its next timers) until there is one,
     * at most {@link #PATIENCE} of the core's time: its periodic timers never run out.
     */
    Frame next() {
        long start = harness.time.nanoTime();
        while (frames.isEmpty() && harness.time.nanoTime() - start <= PATIENCE.toNanos()
                && harness.pumpOrSkipAhead(this)) {
            // each round runs the core once more, up to its next timer
        }
        Frame f = frames.poll();
        if (f == null) {
            throw new AssertionError("no frame for " + host + " within " + PATIENCE + " of the core's time");
        }
        return f;
    }

    <T extends Frame> T next(Class<T> type) {
        Frame f = next();
        if (!type.isInstance(f)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + f);
        }
        return type.cast(f);
    }

    /** The frames sent once the core has run everything queued and due; the rest of the queue is then empty. */
    List<Frame> drain() {
        harness.pump();
        var out = new ArrayList<Frame>();
        frames.drainTo(out);
        return out;
    }
}
