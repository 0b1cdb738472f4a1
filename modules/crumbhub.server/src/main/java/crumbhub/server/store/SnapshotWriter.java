package crumbhub.server.store;

import java.util.List;

import java.nio.ByteBuffer;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes snapshots on a thread of its own, so a large snapshot never holds up group commits,
 * then compacts (docs/storage.md §4): keeps the newest {@link StoreOptions#retainedSnapshots()}
 * snapshots and deletes, oldest first, every segment whose records all come before the oldest
 * snapshot kept. The active segment is never deleted: only a segment with a successor
 * qualifies, and the commit thread only ever adds segments at the top.
 */
final class SnapshotWriter implements AutoCloseable {
    private static final Log LOG = Log.get("crumbhub.server.store");

    private final Path dir;
    private final StoreOptions options;
    private final ConcurrentSkipListMap<Long, Path> segments;
    private final ConcurrentSkipListMap<Long, Path> snapshots;
    private final StoreMetrics metrics;
    private final ExecutorService executor;
    private volatile Thread thread;

    SnapshotWriter(Path dir, StoreOptions options, ConcurrentSkipListMap<Long, Path> segments,
                   ConcurrentSkipListMap<Long, Path> snapshots, StoreMetrics metrics) {
        this.dir = dir;
        this.options = options;
        this.segments = segments;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.executor = Executors.newSingleThreadExecutor(task -> {
            var created = Thread.ofPlatform().name("crumbhub-store-snapshot").daemon(true).unstarted(task);
            thread = created;
            return created;
        });
    }

    /** Whether the caller is the snapshot thread (where snapshot callbacks run). */
    boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Commit thread: schedules {@code state}, which reflects exactly the records before
     * {@code seq}, all of them already durable. {@code onDone} runs on the snapshot thread.
     */
    void submit(List<ByteBuffer> state, long seq, Consumer<StoreException> onDone) {
        executor.execute(() -> Callbacks.complete(onDone, write(state, seq)));
    }

    private StoreException write(List<ByteBuffer> state, long seq) {
        var target = dir.resolve(LogFiles.snapshotName(seq));
        try {
            long replaced = Files.exists(target) ? Files.size(target) : 0;
            long size = SnapshotFiles.write(dir, seq, state, options.opener());
            snapshots.put(seq, target);
            metrics.bytesOnDisk.addAndGet(size - replaced);
            metrics.snapshots.incrementAndGet();
            metrics.lastSnapshotSeq.set(seq);
        } catch (IOException e) {
            metrics.snapshotFailures.incrementAndGet();
            LOG.warn(e, "store_snapshot_failed", "seq", seq);
            return new StoreException(StoreException.Kind.IO,
                    "writing the snapshot at sequence " + seq + " failed: " + e.getMessage(), e);
        }
        try {
            compact();
        } catch (IOException e) {
            // The snapshot itself is durable; space is reclaimed by the next compaction instead.
            LOG.warn(e, "store_compaction_failed", "seq", seq);
        }
        return null;
    }

    private void compact() throws IOException {
        while (snapshots.size() > options.retainedSnapshots()) {
            var oldest = snapshots.firstEntry();
            delete(oldest.getValue());
            snapshots.remove(oldest.getKey());
        }
        long keepFrom = snapshots.firstKey();
        int deleted = 0;
        while (true) {
            var first = segments.firstEntry();
            var next = first == null ? null : segments.higherKey(first.getKey());
            if (next == null || next > keepFrom) {
                break;
            }
            delete(first.getValue());
            segments.remove(first.getKey());
            metrics.compactedSegments.incrementAndGet();
            deleted++;
        }
        if (deleted > 0) {
            LogFiles.forceDirectory(dir, options.opener());
            LOG.debug("store_compacted", "segments_deleted", deleted, "keep_from_seq", keepFrom);
        }
    }

    private void delete(Path file) throws IOException {
        long size = Files.size(file);
        Files.delete(file);
        metrics.bytesOnDisk.addAndGet(-size);
    }

    /** Finishes the snapshot in flight, if any, then stops the thread. Blocks until then. */
    @Override
    public void close() {
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                LOG.warn("store_snapshot_slow_to_finish");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
