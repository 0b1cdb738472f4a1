package crumbhub.server.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk encodings (docs/storage.md §1). All integers are big-endian.
 *
 * <pre>
 * segment  = header, record*
 * header   = "CRUMBLOG" (8), u32 version (= 1), u64 firstSeq, u32 CRC32C(first 20 bytes)   24 bytes
 * record   = u32 length, u32 CRC32C(length bytes ‖ payload), payload(length)
 * snapshot = "CRUMBSNP" (8), u32 version (= 1), u64 seq, u64 length, u32 CRC32C(payload),
 *            u32 CRC32C(first 32 bytes), payload(length)                                   36 + length
 * </pre>
 *
 * The record CRC covers the length field too, so a flipped bit in a length is caught as a bad
 * record rather than read as a different, plausible length. Pure functions, no I/O.
 */
final class RecordFormat {

    static final int VERSION = 1;
    /** Starts the reason of a header whose version is newer than {@link #VERSION}. */
    static final String NEWER = "written by a newer crumbhub-server (";
    static final int SEGMENT_HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 8;
    static final int SNAPSHOT_HEADER_BYTES = 36;
    /** The largest array the JVM reliably allocates; bounds a snapshot read back from disk. */
    static final long MAX_SNAPSHOT_BYTES = Integer.MAX_VALUE - 16;

    private static final byte[] SEGMENT_MAGIC = "CRUMBLOG".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_MAGIC = "CRUMBSNP".getBytes(StandardCharsets.US_ASCII);

    private RecordFormat() {
    }

    /** CRC of one record: over its 4 length bytes, then its payload. */
    static int recordCrc(int length, byte[] payload, int offset, int count) {
        var crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, offset, count);
        return (int) crc.getValue();
    }

    /** Same as {@link #recordCrc(int, byte[], int, int)} over the remaining bytes of {@code payload}. */
    static int recordCrc(int length, ByteBuffer payload) {
        var crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload);
        return (int) crc.getValue();
    }

    /** Appends one framed record to {@code out}, which must have room for it. */
    static void putRecord(ByteBuffer out, byte[] payload) {
        out.putInt(payload.length);
        out.putInt(recordCrc(payload.length, payload, 0, payload.length));
        out.put(payload);
    }

    static ByteBuffer segmentHeader(long firstSeq) {
        var header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
        header.put(SEGMENT_MAGIC).putInt(VERSION).putLong(firstSeq);
        header.putInt(crc(header.array(), 0, 20));
        return header.flip();
    }

    /** Checks a segment header read from {@code file} and returns its first sequence number. */
    static long parseSegmentHeader(ByteBuffer header, Path file) throws StoreCorruptedException {
        byte[] bytes = new byte[SEGMENT_HEADER_BYTES];
        header.get(bytes);
        if (!Arrays.equals(bytes, 0, 8, SEGMENT_MAGIC, 0, 8)) {
            throw new StoreCorruptedException(file, 0, "not a CrumbHub log segment (bad magic)");
        }
        var in = ByteBuffer.wrap(bytes);
        if (in.getInt(20) != crc(bytes, 0, 20)) {
            throw new StoreCorruptedException(file, 0, "segment header CRC mismatch");
        }
        int version = in.getInt(8);
        if (version > VERSION) {
            throw new StoreCorruptedException(file, 8, NEWER + "segment format " + version + "; this version reads "
                    + VERSION + ")");
        }
        if (version != VERSION) {
            throw new StoreCorruptedException(file, 8, "unsupported segment format version " + version);
        }
        return in.getLong(12);
    }

    static ByteBuffer snapshotHeader(long seq, List<ByteBuffer> state) {
        var crc = new CRC32C();
        state.forEach(part -> crc.update(part.duplicate()));
        var header = ByteBuffer.allocate(SNAPSHOT_HEADER_BYTES);
        header.put(SNAPSHOT_MAGIC).putInt(VERSION).putLong(seq).putLong(length(state))
                .putInt((int) crc.getValue());
        header.putInt(crc(header.array(), 0, 32));
        return header.flip();
    }

    /** A checked snapshot header: the payload that follows must have {@code length} bytes and CRC {@code crc}. */
    record SnapshotHeader(long seq, long length, int crc) {
    }

    static SnapshotHeader parseSnapshotHeader(ByteBuffer header, Path file) throws StoreCorruptedException {
        byte[] bytes = new byte[SNAPSHOT_HEADER_BYTES];
        header.get(bytes);
        if (!Arrays.equals(bytes, 0, 8, SNAPSHOT_MAGIC, 0, 8)) {
            throw new StoreCorruptedException(file, 0, "not a CrumbHub snapshot (bad magic)");
        }
        var in = ByteBuffer.wrap(bytes);
        if (in.getInt(32) != crc(bytes, 0, 32)) {
            throw new StoreCorruptedException(file, 0, "snapshot header CRC mismatch");
        }
        int version = in.getInt(8);
        if (version > VERSION) {
            throw new StoreCorruptedException(file, 8, NEWER + "snapshot format " + version + "; this version reads "
                    + VERSION + ")");
        }
        if (version != VERSION) {
            throw new StoreCorruptedException(file, 8, "unsupported snapshot format version " + version);
        }
        return new SnapshotHeader(in.getLong(12), in.getLong(20), in.getInt(28));
    }

    /** The bytes remaining in {@code parts}, together. */
    static long length(List<ByteBuffer> parts) {
        long n = 0;
        for (ByteBuffer part : parts) {
            n += part.remaining();
        }
        return n;
    }

    static int crc(byte[] bytes, int offset, int count) {
        var crc = new CRC32C();
        crc.update(bytes, offset, count);
        return (int) crc.getValue();
    }
}
