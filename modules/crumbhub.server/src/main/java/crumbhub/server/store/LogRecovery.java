package crumbhub.server.store;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds the caller's state from the store directory (docs/storage.md §3): picks the newest
 * snapshot that checks out and whose log is still there, hands it over, then replays every
 * later record in order. A torn tail of the newest segment is truncated; anything else that
 * fails a check stops recovery with {@link StoreCorruptedException}. Runs on the thread that
 * calls {@code open}, before the commit thread exists.
 */
final class LogRecovery {
    private static final Log LOG = Log.get("crumbhub.server.store");

    private static final String QUARANTINE_SUFFIX = ".corrupt";

    /**
     * What the store needs to continue.
     *
     * @param segments    every segment file kept, by first sequence number (the last is the active one)
     * @param snapshots   every usable snapshot file kept, by sequence number
     * @param nextSeq     sequence number of the next record to append
     * @param activeSize  valid size of the newest segment, or -1 if there is no segment
     * @param bytesOnDisk total size of the segments and snapshots
     * @param replayed    records handed to {@link EventStore.Recovery#record(byte[])}
     */
    record Outcome(TreeMap<Long, Path> segments, TreeMap<Long, Path> snapshots, long nextSeq, long activeSize,
                   long bytesOnDisk, long replayed) {
    }

    private final Path dir;
    private final StoreOptions options;
    private final EventStore.Recovery recovery;
    private long replayed;

    private LogRecovery(Path dir, StoreOptions options, EventStore.Recovery recovery) {
        this.dir = dir;
        this.options = options;
        this.recovery = recovery;
    }

    static Outcome recover(Path dir, StoreOptions options, EventStore.Recovery recovery)
            throws IOException, StoreException {
        return new LogRecovery(dir, options, recovery).run();
    }

    private Outcome run() throws IOException, StoreException {
        var listing = LogFiles.list(dir);
        var segments = listing.segments();
        var snapshots = listing.snapshots();
        var corrupt = new ArrayList<Path>();
        long snapSeq = restoreSnapshot(segments, snapshots, corrupt);

        long nextSeq = snapSeq;
        long activeSize = -1;
        if (!segments.isEmpty()) {
            long expected = segments.floorKey(snapSeq);
            for (Map.Entry<Long, Path> entry : segments.tailMap(expected, true).entrySet()) {
                boolean newest = entry.getKey().equals(segments.lastKey());
                if (entry.getKey() != expected) {
                    throw new StoreCorruptedException(entry.getValue(), 0,
                            "gap in the log: expected a segment starting at sequence " + expected);
                }
                var result = replaySegment(entry.getValue(), entry.getKey(), snapSeq, newest);
                expected = entry.getKey() + result.records();
                activeSize = result.validEnd();
            }
            nextSeq = expected;
        }
        if (snapSeq > nextSeq) {
            throw new StoreCorruptedException(snapshots.get(snapSeq), 12,
                    "snapshot is at sequence " + snapSeq + " but the log ends at " + nextSeq);
        }
        for (Path bad : corrupt) {
            snapshots.values().remove(bad);
            var quarantined = bad.resolveSibling(bad.getFileName() + QUARANTINE_SUFFIX);
            Files.move(bad, quarantined, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("store_snapshot_quarantined", "file", bad, "renamed_to", quarantined);
        }
        long bytes = 0;
        for (Path file : segments.values()) {
            bytes += Files.size(file);
        }
        for (Path file : snapshots.values()) {
            bytes += Files.size(file);
        }
        return new Outcome(segments, snapshots, nextSeq, activeSize, bytes, replayed);
    }

    /**
     * Hands the newest usable snapshot to the caller and returns its sequence number (0 when
     * recovery starts from the beginning of the log). A snapshot is usable if it checks out and
     * the log segment holding its sequence number still exists; when the newest fails its
     * checks, older ones are tried, then the start of the log.
     */
    private long restoreSnapshot(TreeMap<Long, Path> segments, TreeMap<Long, Path> snapshots, List<Path> corrupt)
            throws IOException, StoreException {
        StoreCorruptedException newestFailure = null;
        for (Map.Entry<Long, Path> entry : snapshots.descendingMap().entrySet()) {
            long seq = entry.getKey();
            boolean logCovers = segments.isEmpty() ? newestFailure == null : segments.firstKey() <= seq;
            if (!logCovers) {
                break;
            }
            try {
                byte[] state = SnapshotFiles.read(entry.getValue(), seq, options.opener());
                try {
                    recovery.snapshot(state);
                } catch (Exception e) {
                    throw new StoreException(StoreException.Kind.RECOVERY_FAILED,
                            "recovery callback failed on snapshot " + entry.getValue(), e);
                }
                return seq;
            } catch (StoreCorruptedException e) {
                LOG.warn("store_snapshot_corrupt", "file", e.file(), "offset", e.offset(),
                        "reason", e.reason());
                corrupt.add(entry.getValue());
                if (newestFailure == null) {
                    newestFailure = e;
                }
            }
        }
        boolean logFromStart = segments.isEmpty() ? snapshots.isEmpty() : segments.firstKey() == 0;
        if (logFromStart) {
            return 0;
        }
        if (newestFailure != null) {
            throw new StoreCorruptedException(newestFailure.file(), newestFailure.offset(), newestFailure.reason()
                    + "; no older snapshot is usable and the log no longer reaches back to it");
        }
        throw new StoreCorruptedException(segments.firstEntry().getValue(), 0,
                "the log starts at sequence " + segments.firstKey() + " but there is no snapshot before it");
    }

    private SegmentScanner.Result replaySegment(Path file, long firstSeq, long snapSeq, boolean newest)
            throws IOException, StoreException {
        var modes = newest ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE) : Set.of(StandardOpenOption.READ);
        try (FileChannel channel = options.opener().open(file, modes)) {
            var result = SegmentScanner.scan(channel, file, options.maxRecordBytes(), (seq, payload) -> {
                if (seq >= snapSeq) {
                    deliver(seq, payload);
                }
            });
            if (result.firstSeq() != firstSeq) {
                throw new StoreCorruptedException(file, 12, "segment header says first sequence "
                        + result.firstSeq() + " but its name says " + firstSeq);
            }
            var defect = result.defect();
            if (defect == null) {
                return result;
            }
            if (defect.zeroed()) {
                return endAtZeros(channel, file, result, newest);
            }
            if (!newest) {
                throw new StoreCorruptedException(file, defect.offset(), defect.reason() + " in an older segment");
            }
            if (SegmentScanner.validRecordAfter(channel, defect.offset(), options.maxRecordBytes())) {
                throw new StoreCorruptedException(file, defect.offset(),
                        defect.reason() + "; valid records follow it, so it is not a torn tail");
            }
            channel.truncate(result.validEnd());
            channel.force(true);
            LOG.warn("store_torn_tail_truncated", "file", file, "offset", result.validEnd(),
                    "dropped_bytes", result.fileSize() - result.validEnd(), "reason", '"' + defect.reason() + '"');
            return result;
        }
    }

    /**
     * A segment whose records are followed by zeros only: preallocated space the crash (or a
     * roll interrupted before its trim) left behind. The records end there. The newest segment
     * is cut back, so appending continues right after its last record; an older one is only read.
     */
    private static SegmentScanner.Result endAtZeros(FileChannel channel, Path file, SegmentScanner.Result result,
                                                    boolean newest) throws IOException {
        long dropped = result.fileSize() - result.validEnd();
        if (newest) {
            channel.truncate(result.validEnd());
            channel.force(true);
        }
        LOG.info("store_preallocated_tail_ignored", "file", file, "offset", result.validEnd(),
                "zero_bytes", dropped, "trimmed", newest);
        return result;
    }

    private void deliver(long seq, byte[] payload) throws StoreException {
        try {
            recovery.record(payload);
            replayed++;
        } catch (Exception e) {
            throw new StoreException(StoreException.Kind.RECOVERY_FAILED,
                    "recovery callback failed on record " + seq, e);
        }
    }
}
