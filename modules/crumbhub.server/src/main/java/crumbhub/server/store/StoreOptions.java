package crumbhub.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Tunables of the file store, validated once. Start from {@link #defaults()} and change
 * what you need with the {@code with…} methods.
 *
 * @param segmentBytes      a segment is rolled when the next record would take it past this
 *                          size (a single record larger than this gets a segment of its own)
 * @param maxRecordBytes    the largest record payload; enforced on append and on read, so a
 *                          corrupt length on disk can never make recovery allocate more
 * @param queueBytes        bound on record bytes accepted but not yet durable; beyond it
 *                          {@code append} fails fast with {@link StoreException.Kind#BUSY}
 * @param writeBufferBytes  size of the commit thread's direct write buffer; a batch larger than
 *                          this is written in several writes but still forced once
 * @param retainedSnapshots how many snapshots to keep (at least 1); log segments are kept from
 *                          the oldest retained snapshot on, so with 2 a corrupt newest snapshot
 *                          can fall back to the previous one
 * @param opener            opens every file the store writes or reads; the default is
 *                          {@link FileChannel#open(Path, Set, java.nio.file.attribute.FileAttribute[])}.
 *                          Tests pass a fault-injecting opener to simulate a full disk
 * @param holdFailures      after a write fails, fail every later append and snapshot too, without
 *                          touching the disk, until the caller's {@link EventStore#resume()} is reached.
 *                          For callers whose records depend on earlier ones (the server's domain
 *                          changes): without the hold, a record appended before the caller heard of
 *                          the failure could become durable after a hole in the log (off by default)
 */
public record StoreOptions(
        long segmentBytes,
        int maxRecordBytes,
        long queueBytes,
        int writeBufferBytes,
        int retainedSnapshots,
        ChannelOpener opener,
        boolean holdFailures,
        long preallocateBytes) {

    /** 64 MiB: large enough that rolling is rare, small enough that compaction frees space often. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    /** 1 MiB: far above the largest server record (a 60,000-byte message body plus metadata). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    /** 32 MiB of records waiting for the disk before appenders are told to back off. */
    public static final long DEFAULT_QUEUE_BYTES = 32L << 20;
    /** 1 MiB: one write covers the batches of any realistic load. */
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;
    public static final int DEFAULT_RETAINED_SNAPSHOTS = 2;
    /**
     * 4 MiB of zeroed space ahead of the records: at 2 MB/s of records (10,000 messages/s) one
     * preallocation a second or so, each a single write and force of a few milliseconds.
     */
    public static final long DEFAULT_PREALLOCATE_BYTES = 4L << 20;

    /** Opens a file channel; the seam for fault injection. Must return a channel on {@code path}. */
    @FunctionalInterface
    public interface ChannelOpener {
        FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
    }

    public StoreOptions {
        Objects.requireNonNull(opener, "opener");
        if (maxRecordBytes < 1 || maxRecordBytes > (Integer.MAX_VALUE - 64)) {
            throw new IllegalArgumentException("maxRecordBytes out of range: " + maxRecordBytes);
        }
        if (segmentBytes < RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.RECORD_HEADER_BYTES) {
            throw new IllegalArgumentException("segmentBytes too small: " + segmentBytes);
        }
        if (queueBytes < maxRecordBytes) {
            throw new IllegalArgumentException("queueBytes must hold at least one record of maxRecordBytes");
        }
        if (writeBufferBytes < 4096) {
            throw new IllegalArgumentException("writeBufferBytes must be at least 4096");
        }
        if (retainedSnapshots < 1) {
            throw new IllegalArgumentException("retainedSnapshots must be at least 1");
        }
        if (preallocateBytes < 0) {
            throw new IllegalArgumentException("preallocateBytes must not be negative: " + preallocateBytes);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_QUEUE_BYTES,
                DEFAULT_WRITE_BUFFER_BYTES, DEFAULT_RETAINED_SNAPSHOTS, FileChannel::open, false,
                DEFAULT_PREALLOCATE_BYTES);
    }

    public StoreOptions withSegmentBytes(long value) {
        return new StoreOptions(value, maxRecordBytes, queueBytes, writeBufferBytes, retainedSnapshots, opener,
                holdFailures, preallocateBytes);
    }

    /** Also raises {@code queueBytes} to {@code value} if it was smaller, so one record always fits. */
    public StoreOptions withMaxRecordBytes(int value) {
        return new StoreOptions(segmentBytes, value, Math.max(queueBytes, value), writeBufferBytes,
                retainedSnapshots, opener,
                holdFailures, preallocateBytes);
    }

    public StoreOptions withQueueBytes(long value) {
        return new StoreOptions(segmentBytes, maxRecordBytes, value, writeBufferBytes, retainedSnapshots, opener,
                holdFailures, preallocateBytes);
    }

    public StoreOptions withWriteBufferBytes(int value) {
        return new StoreOptions(segmentBytes, maxRecordBytes, queueBytes, value, retainedSnapshots, opener,
                holdFailures, preallocateBytes);
    }

    public StoreOptions withRetainedSnapshots(int value) {
        return new StoreOptions(segmentBytes, maxRecordBytes, queueBytes, writeBufferBytes, value, opener,
                holdFailures, preallocateBytes);
    }

    public StoreOptions withOpener(ChannelOpener value) {
        return new StoreOptions(segmentBytes, maxRecordBytes, queueBytes, writeBufferBytes, retainedSnapshots, value,
                holdFailures, preallocateBytes);
    }

    public StoreOptions withHoldFailures(boolean value) {
        return new StoreOptions(segmentBytes, maxRecordBytes, queueBytes, writeBufferBytes, retainedSnapshots, opener,
                value, preallocateBytes);
    }

    /** Zeroed space kept ahead of the records; 0 turns preallocation off. */
    public StoreOptions withPreallocateBytes(long value) {
        return new StoreOptions(segmentBytes, maxRecordBytes, queueBytes, writeBufferBytes, retainedSnapshots, opener,
                holdFailures, value);
    }
}
