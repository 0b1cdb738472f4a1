package crumbhub.wire.net;

import crumbhub.wire.loop.EventLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lets one thread that sends to many connections (the server's core thread fanning a message out)
 * hand its frames to their event loops in bursts: while a batch is open on a thread, every frame
 * that thread sends to a connection of another thread's loop waits here, and {@link #flush()}
 * gives each loop all of its frames in one task, with one wake-up. Without it, the first frame
 * for each connection costs a task and may wake its loop, which then flushes that connection after
 * every few frames instead of packing a burst into one Noise message and one write.
 *
 * <p>Order is kept: frames of one thread reach each connection in the order they were sent,
 * including frames sent before the batch was opened or after it was flushed. Room for every frame
 * is reserved when it is sent, so the hard limit and {@link Connection#send}'s answer are as
 * without batching, and a connection closing after flushing waits for the frames still here.
 *
 * <p>Confined to the thread that opened it: {@link #open()}, sends, {@link #flush()} and
 * {@link #close()} happen on that thread. Frames sit here until the next flush, so the owner
 * must flush before it waits for more work, and bound how long it runs without flushing.
 */
public final class SendBatch implements AutoCloseable {
    /** Frames gathered for one loop above which they are handed over at once. */
    static final int MAX_PENDING_PER_LOOP = 16_384;

    private static final ThreadLocal<SendBatch> CURRENT = new ThreadLocal<>();
    /** Source of hand-over marks, unique across threads (see {@link ConnectionBase#batchMark}). */
    private static final AtomicInteger MARKS = new AtomicInteger();

    private final Thread owner = Thread.currentThread();
    private final List<Part> parts = new ArrayList<>(2);

    private SendBatch() {}

    /**
     * Opens a batch on the calling thread.
     *
     * @throws IllegalStateException if this thread already has one open
     */
    public static SendBatch open() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a send batch is already open on " + Thread.currentThread().getName());
        }
        var batch = new SendBatch();
        CURRENT.set(batch);
        return batch;
    }

    /** The batch open on the calling thread, or null. */
    static SendBatch current() {
        return CURRENT.get();
    }

    /** Hands every waiting frame to its loop: one task per loop. Owner thread only. */
    public void flush() {
        requireOwner();
        for (int i = 0, n = parts.size(); i < n; i++) {
            parts.get(i).handOver();
        }
    }

    /** Flushes and closes the batch; later sends from this thread are handed over one by one again. */
    @Override
    public void close() {
        requireOwner();
        flush();
        CURRENT.remove();
    }

    /**
     * Keeps a frame whose room {@code c} has reserved. The first frame for a connection in a
     * hand-over counts it as having frames on their way (one atomic update per connection and
     * hand-over, not per frame). Owner thread only.
     */
    void add(ConnectionBase c, Object frame) {
        Part part = null;
        for (int i = 0, n = parts.size(); i < n; i++) { // indexed: no iterator per frame
            if (parts.get(i).loop == c.loop) {
                part = parts.get(i);
                break;
            }
        }
        if (part == null) {
            part = new Part(c.loop);
            parts.add(part);
        }
        boolean first = c.batchMark != part.mark;
        if (first) {
            c.batchMark = part.mark;
            c.countPending(1);
        }
        part.add(c, frame, first);
        if (part.size == MAX_PENDING_PER_LOOP) {
            part.handOver();
        }
    }

    private void requireOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a send batch belongs to " + owner.getName());
        }
    }

    /**
     * The frames for one loop, in send order, in arrays that travel to the loop and come back, so
     * a steady fan-out allocates nothing per frame: the owner takes a returned set for each
     * hand-over and grows it only when a hand-over is larger than any before.
     */
    private static final class Part {
        private static final int INITIAL = 64;
        /**
         * Sets the loop has finished with, ready for reuse. The owner may hand over several times
         * before the loop runs at all (one core shared by both threads), so a few are kept.
         */
        private static final int SPARES = 8;

        final EventLoop loop;
        final AtomicReferenceArray<Slots> spares = new AtomicReferenceArray<>(SPARES);
        Slots slots = new Slots(INITIAL);
        int size;
        /** Marks the connections that have frames in this hand-over; new for each one. */
        int mark = MARKS.incrementAndGet();

        Part(EventLoop loop) {
            this.loop = loop;
        }

        void add(ConnectionBase c, Object frame, boolean first) {
            if (size == slots.connections.length) {
                slots = slots.grown();
            }
            slots.connections[size] = c;
            slots.frames[size] = frame;
            slots.first[size] = first;
            size++;
        }

        void handOver() {
            if (size == 0) {
                return;
            }
            Slots full = slots;
            int n = size;
            Slots next = takeSpare();
            // a new set is sized for a hand-over like this one, not for the largest burst ever,
            // which would cost that much for every hand-over made while the loop holds the spares
            slots = next != null ? next : new Slots(Math.max(INITIAL, n));
            size = 0;
            mark = MARKS.incrementAndGet();
            try {
                loop.execute(() -> {
                    full.enqueueAll(n);
                    giveBack(full);
                });
            } catch (RejectedExecutionException e) {
                // the loop has shut down and closed its connections: nothing will be written
                full.abandon(n);
            }
        }

        /** The largest set the loop has given back, or null. */
        private Slots takeSpare() {
            int best = -1;
            for (int i = 0; i < SPARES; i++) {
                Slots s = spares.get(i);
                if (s != null && (best < 0 || s.connections.length > spares.get(best).connections.length)) {
                    best = i;
                }
            }
            return best < 0 ? null : spares.getAndSet(best, null);
        }

        /**
         * On the loop thread: keeps emptied arrays for reuse in a free place, else in place of a
         * smaller set, else drops them.
         */
        private void giveBack(Slots s) {
            for (int i = 0; i < SPARES; i++) {
                if (spares.compareAndSet(i, null, s)) {
                    return;
                }
            }
            for (int i = 0; i < SPARES; i++) {
                Slots kept = spares.get(i);
                if (kept != null && kept.connections.length < s.connections.length && spares.compareAndSet(i, kept, s)) {
                    return;
                }
            }
        }
    }

    /** Frames in send order, each with its connection and whether it was that connection's first here. */
    private record Slots(ConnectionBase[] connections, Object[] frames, boolean[] first) {
        Slots(int capacity) {
            this(new ConnectionBase[capacity], new Object[capacity], new boolean[capacity]);
        }

        Slots grown() {
            int n = connections.length * 2;
            return new Slots(Arrays.copyOf(connections, n), Arrays.copyOf(frames, n), Arrays.copyOf(first, n));
        }

        /**
         * On the loop thread: queues every frame on its connection, then forgets them. A connection
         * stops counting as having frames on their way at its first frame here: its later ones are
         * queued within this same task, before any other work of the loop.
         */
        void enqueueAll(int n) {
            for (int i = 0; i < n; i++) {
                connections[i].enqueuePending(frames[i], first[i]);
                connections[i] = null;
                frames[i] = null;
            }
        }

        void abandon(int n) {
            for (int i = 0; i < n; i++) {
                connections[i].abandonPending(frames[i], first[i]);
                connections[i] = null;
                frames[i] = null;
            }
        }
    }
}
