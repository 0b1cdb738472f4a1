package crumbhub.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * The segment being appended to. Confined to the commit thread. Tracks two offsets: what has
 * been written and what has been forced; after a failed write or force the file is cut back to
 * the forced offset ({@link #repair()}) before anything else is written, so bytes of a failed
 * batch can never end up between good records.
 */
final class ActiveSegment implements AutoCloseable {

    private final Path path;
    private final long firstSeq;
    private final FileChannel channel;
    /** End of the records framed for this segment, including those still in the write buffer. */
    private long framedOffset;
    private long writtenOffset;
    private long durableOffset;
    private long durableRecords;
    private long pendingRecords;
    private boolean needsRepair;

    private ActiveSegment(Path path, long firstSeq, FileChannel channel, long size, long records) {
        this.path = path;
        this.firstSeq = firstSeq;
        this.channel = channel;
        this.framedOffset = size;
        this.writtenOffset = size;
        this.durableOffset = size;
        this.durableRecords = records;
    }

    /** Continues a recovered segment whose valid (and durable) part ends at {@code size}. */
    static ActiveSegment resume(Path path, long firstSeq, long size, long records, StoreOptions options)
            throws IOException {
        var channel = options.opener().open(path, Set.of(StandardOpenOption.WRITE));
        return new ActiveSegment(path, firstSeq, channel, size, records);
    }

    /** Creates {@code log-<firstSeq>.seg} (header only) atomically and durably, and opens it. */
    static ActiveSegment create(Path dir, long firstSeq, StoreOptions options) throws IOException {
        var path = dir.resolve(LogFiles.segmentName(firstSeq));
        LogFiles.writeAtomically(path, List.of(RecordFormat.segmentHeader(firstSeq)), options.opener());
        var channel = options.opener().open(path, Set.of(StandardOpenOption.WRITE));
        return new ActiveSegment(path, firstSeq, channel, RecordFormat.SEGMENT_HEADER_BYTES, 0);
    }

    Path path() {
        return path;
    }

    long firstSeq() {
        return firstSeq;
    }

    long durableOffset() {
        return durableOffset;
    }

    /** Whether a record of {@code frameBytes} (header included) may go into this segment. */
    boolean fits(long frameBytes, long segmentBytes) {
        return durableRecords + pendingRecords == 0 || framedOffset + frameBytes <= segmentBytes;
    }

    /** Counts a record of {@code frameBytes} framed into the write buffer but not yet written. */
    void addPending(long frameBytes) {
        pendingRecords++;
        framedOffset += frameBytes;
    }

    /** Writes the buffer's remaining bytes after the last written byte. */
    void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            writtenOffset += channel.write(buffer, writtenOffset);
        }
    }

    /** Forces everything written; returns the number of records that became durable. */
    long force() throws IOException {
        channel.force(false);
        long records = pendingRecords;
        durableOffset = writtenOffset;
        durableRecords += pendingRecords;
        pendingRecords = 0;
        return records;
    }

    /** Forgets written-but-unforced bytes after a failure; the next {@link #repair()} removes them. */
    void markFailed() {
        needsRepair = true;
        pendingRecords = 0;
        framedOffset = durableOffset;
        writtenOffset = durableOffset;
    }

    /** Cuts the file back to its durable offset if a failure left bytes after it. Idempotent. */
    void repair() throws IOException {
        if (needsRepair) {
            channel.truncate(durableOffset);
            channel.force(true);
            needsRepair = false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
