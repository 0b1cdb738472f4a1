package crumbhub.server.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
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
 */
final class Committer implements Runnable {

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

    Committer(Path dir, StoreOptions options, CommitQueue queue, ActiveSegment active, long nextSeq,
              ConcurrentSkipListMap<Long, Path> segments, SnapshotWriter snapshots, StoreMetrics metrics) {
        this.dir = dir;
        this.options = options;
        this.queue = queue;
        this.active = active;
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
            StoreLog.log(Level.ERROR, e, "store_commit_thread_died");
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
        try {
            active.close();
        } catch (IOException e) {
            StoreLog.log(Level.WARNING, e, "store_segment_close_failed", "file", active.path());
        }
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
        long before = active.durableOffset();
        long start = System.nanoTime();
        long records = active.force();
        metrics.forced(System.nanoTime() - start, records);
        metrics.bytesOnDisk.addAndGet(active.durableOffset() - before);
        durableSeq += records;
        if (failing) {
            failing = false;
            StoreLog.log(Level.INFO, "store_write_recovered", "file", active.path(), "durable_seq", durableSeq);
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
        metrics.bytesOnDisk.addAndGet(RecordFormat.SEGMENT_HEADER_BYTES);
        var previous = active;
        active = next;
        try {
            previous.close();
        } catch (IOException e) {
            // Everything in it was forced before the roll; a failing close loses nothing.
            StoreLog.log(Level.WARNING, e, "store_segment_close_failed", "file", previous.path());
        }
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
        int count = run.size() - from;
        metrics.failed.addAndGet(count);
        if (failing) {
            StoreLog.log(Level.WARNING, "store_write_failed", "file", active.path(), "records", count,
                    "durable_seq", durableSeq, "error", '"' + cause.getMessage() + '"');
        } else {
            failing = true;
            StoreLog.log(Level.WARNING, cause, "store_write_failed", "file", active.path(), "records", count,
                    "durable_seq", durableSeq);
        }
        var failure = new StoreException(StoreException.Kind.IO,
                "writing to " + active.path().getFileName() + " failed: " + cause.getMessage(), cause);
        for (int i = from; i < run.size(); i++) {
            Callbacks.complete(run.get(i).onDone(), failure);
        }
    }
}
