package crumbhub.server.store;

import java.util.List;

import java.nio.ByteBuffer;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The embedded {@link EventStore}: segment files plus snapshots in one directory
 * (docs/storage.md). Owns three things: the directory lock, the commit thread
 * ({@link Committer}, the only writer of the log) and the snapshot thread ({@link SnapshotWriter}).
 * Appenders only touch the {@link CommitQueue}.
 */
final class FileEventStore implements EventStore {
    private static final Log LOG = Log.get("crumbhub.server.store");

    private final Path dir;
    private final StoreOptions options;
    private final DirectoryLock lock;
    private final CommitQueue queue;
    private final ConcurrentSkipListMap<Long, Path> segments;
    private final StoreMetrics metrics;
    private final SnapshotWriter snapshotWriter;
    private final Committer committer;
    private final Thread commitThread;
    private final AtomicBoolean snapshotInFlight = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileEventStore(Path dir, StoreOptions options, DirectoryLock lock, LogRecovery.Outcome recovered,
                           ActiveSegment active) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.queue = new CommitQueue(options.queueBytes());
        this.segments = new ConcurrentSkipListMap<>(recovered.segments());
        this.segments.put(active.firstSeq(), active.path());
        this.metrics = new StoreMetrics();
        long bytes = recovered.bytesOnDisk();
        if (recovered.activeSize() < 0) {
            bytes += RecordFormat.SEGMENT_HEADER_BYTES;
        }
        metrics.bytesOnDisk.set(bytes);
        var snapshots = new ConcurrentSkipListMap<>(recovered.snapshots());
        if (!snapshots.isEmpty()) {
            metrics.lastSnapshotSeq.set(snapshots.lastKey());
        }
        this.snapshotWriter = new SnapshotWriter(dir, options, segments, snapshots, metrics);
        this.committer = new Committer(dir, options, queue, active, recovered.nextSeq(), segments, snapshotWriter,
                metrics);
        this.commitThread = Thread.ofPlatform().name("crumbhub-store-commit").daemon(true).unstarted(committer);
    }

    static FileEventStore open(Path dir, StoreOptions options, Recovery recovery) throws StoreException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(recovery, "recovery");
        try {
            if (!Files.isDirectory(dir)) {
                OwnerOnly.createDirectories(dir);
                // The new directory's own entry must survive a crash, or so would nothing inside it.
                var parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    LogFiles.forceDirectory(parent, options.opener());
                }
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot create " + dir + ": " + e.getMessage(), e);
        }
        var lock = DirectoryLock.acquire(dir);
        try {
            long started = System.nanoTime();
            var recovered = LogRecovery.recover(dir, options, recovery);
            var active = recovered.activeSize() < 0
                    ? ActiveSegment.create(dir, recovered.nextSeq(), options)
                    : ActiveSegment.resume(recovered.segments().lastEntry().getValue(),
                    recovered.segments().lastKey(), recovered.activeSize(),
                    recovered.nextSeq() - recovered.segments().lastKey(), options);
            var store = new FileEventStore(dir, options, lock, recovered, active);
            store.commitThread.start();
            LOG.info("store_opened", "dir", dir, "next_seq", recovered.nextSeq(),
                    "replayed", recovered.replayed(), "segments", store.segments.size(),
                    "millis", (System.nanoTime() - started) / 1_000_000);
            return store;
        } catch (IOException | StoreException | RuntimeException e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            if (e instanceof IOException io) {
                throw new StoreException(StoreException.Kind.IO, "cannot open the store in " + dir + ": "
                        + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public void append(byte[] record, Consumer<StoreException> onDone) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(onDone, "onDone");
        if (record.length > options.maxRecordBytes()) {
            metrics.rejected.increment();
            Callbacks.complete(onDone, new StoreException(StoreException.Kind.TOO_LARGE,
                    "record of " + record.length + " bytes exceeds the limit of " + options.maxRecordBytes()));
            return;
        }
        var append = new CommitQueue.Append(record, onDone);
        var refused = queue.offer(append, append.frameBytes());
        if (refused != null) {
            metrics.rejected.increment();
            Callbacks.complete(onDone, refusal(refused));
            return;
        }
        metrics.appends.increment();
    }

    @Override
    public void snapshot(List<ByteBuffer> parts, Consumer<StoreException> onDone) {
        Objects.requireNonNull(onDone, "onDone");
        var state = List.copyOf(parts);
        long length = RecordFormat.length(state);
        if (length > RecordFormat.MAX_SNAPSHOT_BYTES) {
            Callbacks.complete(onDone, new StoreException(StoreException.Kind.TOO_LARGE,
                    "snapshot of " + length + " bytes is too large"));
            return;
        }
        if (!snapshotInFlight.compareAndSet(false, true)) {
            Callbacks.complete(onDone, new StoreException(StoreException.Kind.BUSY,
                    "busy: a snapshot is already being written"));
            return;
        }
        Consumer<StoreException> release = failure -> {
            snapshotInFlight.set(false);
            onDone.accept(failure);
        };
        var refused = queue.offer(new CommitQueue.Snapshot(state, release), 0);
        if (refused != null) {
            snapshotInFlight.set(false);
            Callbacks.complete(onDone, refusal(refused));
        }
    }

    @Override
    public void resume() {
        queue.offer(new CommitQueue.Resume(), 0);
    }

    private StoreException refusal(StoreException.Kind kind) {
        return switch (kind) {
            case BUSY -> new StoreException(kind, "busy: more than " + options.queueBytes()
                    + " bytes are waiting for the disk");
            case CLOSED -> new StoreException(kind, "the store is closed");
            default -> new StoreException(kind, "refused: " + kind);
        };
    }

    @Override
    public StoreStats stats() {
        long firstSeq = segments.isEmpty() ? committer.durableSeq() : segments.firstKey();
        return new StoreStats(
                metrics.bytesOnDisk.get(),
                segments.size(),
                firstSeq,
                committer.durableSeq(),
                queue.bytes(),
                metrics.appends.sum(),
                metrics.rejected.sum(),
                metrics.failed.get(),
                metrics.batches.get(),
                metrics.bytesWritten.get(),
                metrics.lastFsyncNanos.get(),
                metrics.fsyncNanos.snapshot(),
                metrics.batchRecords.snapshot(),
                metrics.snapshots.get(),
                metrics.snapshotFailures.get(),
                metrics.lastSnapshotSeq.get(),
                metrics.compactedSegments.get());
    }

    @Override
    public void close() {
        if (Thread.currentThread() == commitThread || snapshotWriter.isCurrentThread()) {
            throw new IllegalStateException("close() called from a store callback");
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.close();
        joinUninterruptibly(commitThread);
        snapshotWriter.close();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn(e, "store_unlock_failed", "dir", dir);
        }
        LOG.info("store_closed", "dir", dir, "next_seq", committer.durableSeq());
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
