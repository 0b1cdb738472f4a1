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
 *
 * <p>The file may extend past the records into zeroed, forced space ({@link #preallocate}), so
 * that a commit's force overwrites blocks that already exist instead of growing the file (a
 * growing file must also journal its new size, which costs a force about half as much again).
 * Recovery reads zeros where a record header should be as the end of the log; {@link #trim()}
 * removes the zeroed space on roll and on a clean close.
 */
final class ActiveSegment implements AutoCloseable {

    private final Path path;
    private final long firstSeq;
    private final FileChannel channel;
    /** End of the records framed for this segment, including those still in the write buffer. */
    private long framedOffset;
    private long writtenOffset;
    private long durableOffset;
    /** Size of the file: the records plus zeroed space preallocated after them. */
    private long allocatedEnd;
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
        this.allocatedEnd = size;
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
        allocatedEnd = Math.max(allocatedEnd, writtenOffset);
    }

    /** The size of the file as far as this segment knows: records, then any preallocated zeros. */
    long allocatedEnd() {
        return allocatedEnd;
    }

    /** Zeroed space after the records that a write can fill without growing the file. */
    long preallocatedBytes() {
        return allocatedEnd - writtenOffset;
    }

    /**
     * Bytes {@link #preallocate} would add to keep {@code lead} zeroed bytes after the records,
     * without taking the file past {@code segmentBytes} (the records after that go to the next segment).
     */
    long preallocationWanted(long lead, long segmentBytes) {
        return Math.max(0, Math.min(writtenOffset + lead, segmentBytes) - allocatedEnd);
    }

    /**
     * Appends {@code bytes} zeros to the file and forces them, so that later records overwrite
     * existing blocks. Only between batches (everything written is forced). On failure the
     * segment is marked for {@link #repair()}, which cuts the partial zeros off again, as after a
     * failed write.
     *
     * @param zeros a buffer of zeros, written (a slice of it) as often as needed
     */
    void preallocate(long bytes, ByteBuffer zeros) throws IOException {
        if (writtenOffset != durableOffset || needsRepair) {
            throw new IllegalStateException("preallocation with unforced or failed writes");
        }
        try {
            long position = allocatedEnd;
            long end = allocatedEnd + bytes;
            while (position < end) {
                var part = zeros.duplicate().clear().limit((int) Math.min(zeros.capacity(), end - position));
                while (part.hasRemaining()) {
                    position += channel.write(part, position);
                }
            }
            channel.force(false);
            allocatedEnd = end;
        } catch (IOException | RuntimeException e) {
            markFailed();
            throw e;
        }
    }

    /** Cuts off the preallocated zeros after the durable records, and forces that. */
    void trim() throws IOException {
        if (channel.size() > durableOffset) {
            channel.truncate(durableOffset);
            channel.force(true);
        }
        allocatedEnd = durableOffset;
        writtenOffset = durableOffset;
        framedOffset = durableOffset;
        needsRepair = false;
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
            allocatedEnd = durableOffset;
            needsRepair = false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
