package crumbhub.server.store;

import java.util.List;

import java.nio.ByteBuffer;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Hand-over from appenders to the commit thread, bounded in bytes. {@link #offer} never waits
 * for the disk: it takes a short lock, and refuses when the bound is reached or the queue is
 * closed. The commit thread takes everything queued at once, which is what makes a batch grow
 * with the load while the previous force runs.
 */
final class CommitQueue {

    /** Work for the commit thread, in the order it was requested. */
    sealed interface Pending permits Append, Snapshot, Resume {
        Consumer<StoreException> onDone();
    }

    record Append(byte[] record, Consumer<StoreException> onDone) implements Pending {
        /** Bytes this record takes in the queue and on disk. */
        long frameBytes() {
            return RecordFormat.RECORD_HEADER_BYTES + (long) record.length;
        }
    }

    record Snapshot(List<ByteBuffer> state, Consumer<StoreException> onDone) implements Pending {
    }

    /** The end of a failure hold ({@link EventStore#resume()}): what follows is written again. */
    record Resume() implements Pending {
        @Override
        public Consumer<StoreException> onDone() {
            return failure -> { };
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final long limitBytes;
    private ArrayDeque<Pending> items = new ArrayDeque<>();
    private long bytes;
    private boolean closed;

    CommitQueue(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * Queues {@code item} holding {@code size} bytes against the bound. Any thread; never blocks
     * beyond the queue's lock.
     *
     * @return null if queued, otherwise why not ({@code BUSY} or {@code CLOSED})
     */
    StoreException.Kind offer(Pending item, long size) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            if (closed) {
                return StoreException.Kind.CLOSED;
            }
            if (bytes + size > limitBytes) {
                return StoreException.Kind.BUSY;
            }
            bytes += size;
            items.addLast(item);
            if (items.size() == 1) {
                available.signal();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commit thread: waits until something is queued or the queue is closed, then takes
     * everything queued, leaving {@code spare} (empty) in its place. An empty result means
     * closed and drained.
     */
    ArrayDeque<Pending> takeAll(ArrayDeque<Pending> spare) {
        lock.lock();
        try {
            while (items.isEmpty() && !closed) {
                available.awaitUninterruptibly();
            }
            var taken = items;
            items = spare;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing is queued right now; the commit thread does housekeeping then. */
    boolean isEmpty() {
        lock.lock();
        try {
            return items.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Commit thread: gives back the bytes of records that are now durable or failed. */
    void release(long size) {
        lock.lock();
        try {
            bytes -= size;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further offers; what is queued is still handed out. */
    void close() {
        lock.lock();
        try {
            closed = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
