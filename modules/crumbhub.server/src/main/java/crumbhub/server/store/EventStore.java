package crumbhub.server.store;

import java.nio.ByteBuffer;
import java.util.List;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The server's durable, event-sourced log (docs/design.md §7, docs/storage.md). The server keeps its
 * whole state in memory; every change is a record (opaque bytes here) appended to this log, and
 * start-up rebuilds the state from the latest snapshot plus the records after it.
 *
 * <p>Threads: {@link #append} and {@link #snapshot} may be called from any thread and never
 * wait for the disk, so an event loop may call them. Completion callbacks run on a store
 * thread and must not block: hand the result to your own thread. A callback that throws is
 * logged and otherwise ignored.
 *
 * <p>This is the seam for other backends; {@link #open} gives the embedded file store.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Opens (creating if needed) the file store in {@code dir}, replaying its contents into
     * {@code recovery} on the calling thread before returning. Takes an exclusive lock on the
     * directory for as long as the store is open.
     *
     * @throws StoreCorruptedException if a file fails a check that a crash cannot explain
     * @throws StoreException          {@code IN_USE} if the directory is already open,
     *                                 {@code RECOVERY_FAILED} if a callback threw, {@code IO} otherwise
     */
    static EventStore open(Path dir, StoreOptions options, Recovery recovery) throws StoreException {
        return FileEventStore.open(dir, options, recovery);
    }

    /** Receives the stored state during {@link #open}, in order: at most one snapshot, then every later record. */
    interface Recovery {
        /** The latest usable snapshot, as given to {@link EventStore#snapshot}. Called at most once, first. */
        void snapshot(byte[] state) throws Exception;

        /** The next record after the snapshot (or from the start of the log), in append order. */
        void record(byte[] record) throws Exception;
    }

    /**
     * Appends {@code record} to the log. Any thread; never blocks on I/O. The array is kept,
     * not copied: do not change it afterwards.
     *
     * <p>{@code onDone} runs on the commit thread with {@code null} once this record and every
     * record appended before it are durable (written and forced), or with a
     * {@link StoreException} of kind {@code IO} if it could not be made durable. Callbacks of
     * accepted appends run in append order.
     *
     * <p>An append refused up front — {@code BUSY} (queue bound reached), {@code TOO_LARGE}, or
     * {@code CLOSED} — completes {@code onDone} with that exception on the calling thread before
     * this method returns. Such a record is not in the log.
     *
     * <p>If an append fails with {@code IO}, the log no longer holds a change the caller may have
     * applied in memory; a later {@link #snapshot} makes the two agree again.
     */
    void append(byte[] record, Consumer<StoreException> onDone);

    /**
     * Records a snapshot of the caller's state, which must reflect exactly the records appended
     * before this call (and the effects of any that failed), as the concatenation of
     * {@code parts}. Any thread; never blocks on I/O; the parts and their arrays are kept, not
     * copied, so a caller may share large arrays it holds anyway (the server's message bodies)
     * instead of copying its whole state into one array (docs/storage.md §4). The snapshot is written on a store thread to a temporary
     * file, forced, renamed atomically and the directory forced; then older snapshots beyond
     * {@link StoreOptions#retainedSnapshots()} and segments no snapshot kept needs are deleted.
     *
     * <p>{@code onDone} runs on the snapshot thread with {@code null} once the snapshot is
     * durable, or with a {@link StoreException}; refusals ({@code BUSY} while another snapshot
     * is in flight, {@code CLOSED}) complete on the calling thread as for {@link #append}.
     */
    void snapshot(List<ByteBuffer> parts, Consumer<StoreException> onDone);

    /** {@link #snapshot(List, Consumer)} of one array. */
    default void snapshot(byte[] state, Consumer<StoreException> onDone) {
        snapshot(List.of(ByteBuffer.wrap(state)), onDone);
    }

    /**
     * Ends a failure hold (see {@link StoreOptions#holdFailures()}): appends and snapshots
     * requested after this call are written again, while those requested before it and after a
     * failed write fail without being written. Any thread; never blocks; a no-op without a hold
     * or once the store is closed. The caller calls it once it has heard of the failure and
     * undone, in its own state, every record that was not written.
     */
    void resume();

    /** Counters and histograms for metrics; any thread, no I/O. */
    StoreStats stats();

    /**
     * Makes everything accepted so far durable (or failed), runs its callbacks, finishes a
     * snapshot in flight, then stops the store's threads and releases the directory. Blocks
     * until then. Later appends are refused with {@code CLOSED}. Idempotent. Must not be called
     * from a store callback.
     */
    @Override
    void close();
}
