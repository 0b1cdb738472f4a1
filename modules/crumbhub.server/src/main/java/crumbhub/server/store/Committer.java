package crumbhub.server.store;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The commit thread's loop (docs/storage.md §2): take everything queued, frame it into one
 * direct buffer, write it with as few writes as the buffer allows, force once, then run the
 * callbacks in append order. Whatever arrives during the force is the next batch, so batches
 * grow with the load by themselves. A snapshot request splits a batch: the records before it
 * are forced first, so its sequence number covers exactly those records.
 *
 * <p>On an I/O error the records of the batch not yet forced fail, the segment is cut back to
 * its last forced byte, and the loop carries on with the next batch. With
 * {@link StoreOptions#holdFailures()}, everything queued after the failure fails as well, without
 * a write, until the caller's {@link CommitQueue.Resume} marker comes through: a record that
 * depends on a failed one can then never become durable behind a hole.
 *
 * <p>Between batches it keeps {@link StoreOptions#preallocateBytes()} of zeroed, forced space
 * ahead of the records (docs/storage.md §2), in small steps while the queue is empty, so that a
 * commit's force does not have to journal a new file size. A failed preallocation is cut back
 * like a failed write, fails no record, and is retried {@link #PREALLOCATION_RETRY_NANOS} later.
 */
final class Committer implements Runnable {
    private static final Log LOG = Log.get("crumbhub.server.store");

    /** After a failed preallocation (a full disk), records still go in; the next try waits this long. */
    static final long PREALLOCATION_RETRY_NANOS = 1_000_000_000L;
    private static final int ZEROS_BYTES = 256 * 1024;

    private final Path dir;
    private final StoreOptions options;
    private final CommitQueue queue;
    private final ConcurrentSkipListMap<Long, Path> segments;
    private final SnapshotWriter snapshots;
    private final StoreMetrics metrics;
    private final ByteBuffer buffer;
    private final List<CommitQueue.Append> run = new ArrayList<>();
    private ActiveSegment active;
    /** Records durable so far, which is also the sequence number of the next one. */
    private volatile long durableSeq;
    /** True from a failed batch until the next durable one: only the first failure logs a stack trace. */
    private boolean failing;
    /** A write failed and the caller has not yet resumed: appends and snapshots fail unwritten. */
    private boolean holding;
    /** Zeros for preallocation; allocated on first use. */
    private ByteBuffer zeros;
    /** {@link System#nanoTime()} before which no preallocation is tried (after a failed one). */
    private long preallocateAfter;
    private boolean preallocationFailing;
    /** The active segment's size as counted in {@code metrics.bytesOnDisk}. */
    private long countedBytes;

    Committer(Path dir, StoreOptions options, CommitQueue queue, ActiveSegment active, long nextSeq,
              ConcurrentSkipListMap<Long, Path> segments, SnapshotWriter snapshots, StoreMetrics metrics) {
        this.dir = dir;
        this.options = options;
        this.queue = queue;
        this.active = active;
        this.countedBytes = active.allocatedEnd();
        this.durableSeq = nextSeq;
        this.segments = segments;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.buffer = ByteBuffer.allocateDirect(
                Math.max(options.writeBufferBytes(), options.maxRecordBytes() + RecordFormat.RECORD_HEADER_BYTES));
    }

    /** Sequence number of the next record to become durable; any thread. */
    long durableSeq() {
        return durableSeq;
    }

    /** Returns when the queue is closed and everything queued before has been handled. */
    @Override
    public void run() {
        var spare = new ArrayDeque<CommitQueue.Pending>();
        try {
            while (true) {
                while (preallocateIfDue()) {
                    // one step at a time: a batch that arrived meanwhile goes first
                }
                var batch = queue.takeAll(spare);
                if (batch.isEmpty()) {
                    break;
                }
                process(batch);
                batch.clear();
                spare = batch;
            }
        } catch (Error e) {
            // Only a JVM-level error gets here; refuse further work instead of leaving appenders waiting.
            LOG.error(e, "store_commit_thread_died");
            failRemaining(e);
            throw e;
        } finally {
            closeActive();
        }
    }

    /**
     * After a JVM error: refuses new work and fails what is still queued. The batch in progress
     * may be partly completed already, so its remaining callbacks are not run (no callback
     * may run twice).
     */
    private void failRemaining(Error cause) {
        queue.close();
        var failure = new StoreException(StoreException.Kind.IO, "the store's commit thread stopped: " + cause,
                cause);
        for (var item : queue.takeAll(new ArrayDeque<>())) {
            Callbacks.complete(item.onDone(), failure);
        }
    }

    private void closeActive() {
        trimAndClose(active);
        countDiskBytes();
    }

    /** Brings {@code metrics.bytesOnDisk} up to date with the active segment's size. */
    private void countDiskBytes() {
        long size = active.allocatedEnd();
        metrics.bytesOnDisk.addAndGet(size - countedBytes);
        countedBytes = size;
    }

    /**
     * Removes the preallocated zeros of a segment that takes no more records, and closes it.
     * A failure loses nothing: everything in it was forced, and recovery reads zeros after the
     * last record as the end of the segment.
     */
    private static void trimAndClose(ActiveSegment segment) {
        try (segment) {
            segment.trim();
        } catch (IOException e) {
            LOG.warn(e, "store_segment_close_failed", "file", segment.path());
        }
    }

    /**
     * Tops up the zeroed space ahead of the records by one step of {@link #preallocationStep}
     * when at least a step is missing from {@link StoreOptions#preallocateBytes()}: while nothing
     * is queued, or at once when less than an eighth is left (a busy store may never see an empty
     * queue). Writing zeros and forcing them takes time in proportion to their size (on the
     * development VM 1.3 ms for 256 KiB, 4 ms for 2 MiB, 7–20 ms for 4 MiB), and a batch that
     * arrives meanwhile waits for it: small steps between batches keep that wait short.
     *
     * @return true if a step was written and another one is due (call again while the queue is empty)
     */
    private boolean preallocateIfDue() {
        long lead = options.preallocateBytes();
        if (lead == 0 || holding) {
            return false;
        }
        long step = preallocationStep(lead);
        long wanted = active.preallocationWanted(lead, options.segmentBytes());
        if (wanted < step) {
            return false;
        }
        boolean urgent = active.preallocatedBytes() < lead / 8;
        if (!urgent && !queue.isEmpty()) {
            return false;
        }
        if (preallocationFailing && System.nanoTime() - preallocateAfter < 0) {
            return false;
        }
        boolean done = false;
        try {
            active.repair();
            if (zeros == null) {
                zeros = ByteBuffer.allocateDirect((int) Math.min(ZEROS_BYTES, step));
            }
            active.preallocate(step, zeros);
            done = true;
            if (preallocationFailing) {
                preallocationFailing = false;
                LOG.info("store_preallocation_recovered", "file", active.path());
            }
        } catch (IOException | RuntimeException e) {
            try {
                active.repair();
            } catch (IOException repair) {
                // Retried before the next write, as after a failed write.
                e.addSuppressed(repair);
            }
            preallocateAfter = System.nanoTime() + PREALLOCATION_RETRY_NANOS;
            if (!preallocationFailing) {
                preallocationFailing = true;
                LOG.warn(e, "store_preallocation_failed", "file", active.path(), "bytes", step);
            }
        }
        countDiskBytes();
        return done && wanted - step >= step;
    }

    /**
     * Bytes of one top-up: a sixteenth of the lead (256 KiB of the default 4 MiB), at least 4 KiB
     * (a block) unless the lead itself is smaller.
     */
    static long preallocationStep(long lead) {
        return Math.min(lead, Math.max(4096, lead / 16));
    }

    private void process(ArrayDeque<CommitQueue.Pending> batch) {
        long bytes = 0;
        for (var item : batch) {
            switch (item) {
                case CommitQueue.Append append -> {
                    bytes += append.frameBytes();
                    if (holding) {
                        metrics.failed.incrementAndGet();
                        Callbacks.complete(append.onDone(), held());
                    } else {
                        run.add(append);
                    }
                }
                case CommitQueue.Snapshot snapshot -> {
                    commit();
                    if (holding) {
                        Callbacks.complete(snapshot.onDone(), held());
                    } else {
                        snapshots.submit(snapshot.state(), durableSeq, snapshot.onDone());
                    }
                }
                case CommitQueue.Resume resume -> {
                    commit();
                    holding = false;
                }
            }
        }
        commit();
        queue.release(bytes);
    }

    /** Makes {@link #run} durable (or fails it), runs its callbacks and clears it. */
    private void commit() {
        if (run.isEmpty()) {
            return;
        }
        int done = 0;
        try {
            active.repair();
            buffer.clear();
            for (int i = 0; i < run.size(); i++) {
                byte[] record = run.get(i).record();
                long frame = RecordFormat.RECORD_HEADER_BYTES + (long) record.length;
                if (!active.fits(frame, options.segmentBytes())) {
                    flush();
                    done = forceAndComplete(done, i);
                    roll();
                }
                if (buffer.remaining() < frame) {
                    flush();
                }
                RecordFormat.putRecord(buffer, record);
                active.addPending(frame);
            }
            flush();
            done = forceAndComplete(done, run.size());
        } catch (IOException | RuntimeException e) {
            fail(done, e);
        }
        run.clear();
    }

    private void flush() throws IOException {
        buffer.flip();
        int bytes = buffer.remaining();
        active.write(buffer);
        buffer.clear();
        metrics.bytesWritten.addAndGet(bytes);
    }

    /** Forces the segment and completes {@code run[from, to)} with success; returns {@code to}. */
    private int forceAndComplete(int from, int to) throws IOException {
        if (from == to) {
            return to;
        }
        long start = System.nanoTime();
        long records = active.force();
        metrics.forced(System.nanoTime() - start, records);
        countDiskBytes();
        durableSeq += records;
        if (failing) {
            failing = false;
            LOG.info("store_write_recovered", "file", active.path(), "durable_seq", durableSeq);
        }
        for (int i = from; i < to; i++) {
            Callbacks.complete(run.get(i).onDone(), null);
        }
        return to;
    }

    /** Starts a new segment at the current sequence number; the old one is fully forced. */
    private void roll() throws IOException {
        var next = ActiveSegment.create(dir, durableSeq, options);
        segments.put(next.firstSeq(), next.path());
        var previous = active;
        active = next;
        // Everything in it was forced before the roll; trimming or closing it can lose nothing.
        trimAndClose(previous);
        metrics.bytesOnDisk.addAndGet(previous.allocatedEnd() - countedBytes + next.allocatedEnd());
        countedBytes = next.allocatedEnd();
    }

    private StoreException held() {
        return new StoreException(StoreException.Kind.IO,
                "not written: an earlier write failed and the store holds until resumed");
    }

    /** Fails {@code run[from, end)}: none of it is durable. Cuts the segment back to its forced size. */
    private void fail(int from, Exception cause) {
        holding = options.holdFailures();
        active.markFailed();
        try {
            active.repair();
        } catch (IOException e) {
            // Retried before the next write; until it succeeds every batch fails.
            cause.addSuppressed(e);
        }
        countDiskBytes();
        int count = run.size() - from;
        metrics.failed.addAndGet(count);
        if (failing) {
            LOG.warn("store_write_failed", "file", active.path(), "records", count,
                    "durable_seq", durableSeq, "error", '"' + cause.getMessage() + '"');
        } else {
            failing = true;
            LOG.warn(cause, "store_write_failed", "file", active.path(), "records", count,
                    "durable_seq", durableSeq);
        }
        var failure = new StoreException(StoreException.Kind.IO,
                "writing to " + active.path().getFileName() + " failed: " + cause.getMessage(), cause);
        for (int i = from; i < run.size(); i++) {
            Callbacks.complete(run.get(i).onDone(), failure);
        }
    }
}
