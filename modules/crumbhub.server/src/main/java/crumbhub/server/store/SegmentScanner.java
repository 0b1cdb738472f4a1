package crumbhub.server.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads the records of one segment in order during recovery, checking every length against
 * the bound before allocating and every CRC before handing a record on. Stops at the first
 * bad or incomplete record and reports where; the caller decides whether that is a torn tail
 * or corruption (docs/storage.md §3). Blocking reads; recovery only.
 */
final class SegmentScanner {

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** Receives each good record with its sequence number. */
    @FunctionalInterface
    interface Sink {
        void record(long seq, byte[] payload) throws StoreException;
    }

    /**
     * The first bad record of a segment: where it starts and what is wrong with it.
     *
     * @param zeroed the file holds only zeros from {@code offset} to its end: space preallocated
     *               for records and never written (docs/storage.md §2), the end of the log rather
     *               than a damaged record
     */
    record Defect(long offset, String reason, boolean zeroed) {
    }

    /**
     * @param firstSeq sequence number of the first record (from the header)
     * @param records  number of good records before {@code validEnd}
     * @param validEnd offset just past the last good record
     * @param fileSize size of the file when scanned
     * @param defect   the bad record at {@code validEnd}, or null if the file ended cleanly
     */
    record Result(long firstSeq, long records, long validEnd, long fileSize, Defect defect) {
    }

    private SegmentScanner() {
    }

    static Result scan(FileChannel channel, Path file, int maxRecordBytes, Sink sink)
            throws IOException, StoreException {
        long size = channel.size();
        if (size < RecordFormat.SEGMENT_HEADER_BYTES) {
            throw new StoreCorruptedException(file, 0, "segment is shorter than its header (" + size + " bytes)");
        }
        var reader = new Reader(channel, size);
        var header = new byte[RecordFormat.SEGMENT_HEADER_BYTES];
        reader.read(0, header);
        long firstSeq = RecordFormat.parseSegmentHeader(ByteBuffer.wrap(header), file);
        long position = RecordFormat.SEGMENT_HEADER_BYTES;
        long seq = firstSeq;
        Defect defect = null;
        while (position < size) {
            var checked = check(reader, position, size, maxRecordBytes);
            if (checked instanceof Bad bad) {
                boolean zeroed = bad == ZERO_HEADER && zerosFrom(reader, position, size);
                defect = new Defect(position, zeroed ? "zeroed space after the last record" : bad.reason(), zeroed);
                break;
            }
            var good = (Good) checked;
            sink.record(seq, good.payload());
            seq++;
            position += RecordFormat.RECORD_HEADER_BYTES + good.payload().length;
        }
        return new Result(firstSeq, seq - firstSeq, position, size, defect);
    }

    /**
     * Whether any offset after {@code from} starts a record that passes its length and CRC
     * checks. Used to tell a torn tail (nothing valid after the bad record) from corruption
     * in the middle of the log. Reads the rest of the file once per candidate offset whose
     * length is plausible; a torn tail is short, so this is cheap in the case that matters.
     */
    static boolean validRecordAfter(FileChannel channel, long from, int maxRecordBytes) throws IOException {
        long size = channel.size();
        var reader = new Reader(channel, size);
        for (long position = from + 1; position + RecordFormat.RECORD_HEADER_BYTES <= size; position++) {
            if (check(reader, position, size, maxRecordBytes) instanceof Good) {
                return true;
            }
        }
        return false;
    }

    private sealed interface Checked permits Good, Bad {
    }

    private record Good(byte[] payload) implements Checked {
    }

    private record Bad(String reason) implements Checked {
    }

    /**
     * A record header of eight zero bytes. Never a valid record: the CRC of a zero length is
     * not zero. Checked before anything else, so scanning preallocated space stays cheap.
     */
    private static final Bad ZERO_HEADER = new Bad("zeroed record header");

    /** Whether every byte from {@code position} to {@code size} is zero. */
    private static boolean zerosFrom(Reader reader, long position, long size) throws IOException {
        var chunk = new byte[READ_BUFFER_BYTES];
        for (long at = position; at < size; at += chunk.length) {
            int count = (int) Math.min(chunk.length, size - at);
            var part = count == chunk.length ? chunk : new byte[count];
            reader.read(at, part);
            for (byte b : part) {
                if (b != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Checked check(Reader reader, long position, long size, int maxRecordBytes) throws IOException {
        if (size - position < RecordFormat.RECORD_HEADER_BYTES) {
            return new Bad("incomplete record header (" + (size - position) + " of "
                    + RecordFormat.RECORD_HEADER_BYTES + " bytes)");
        }
        int length = reader.readInt(position);
        int crc = reader.readInt(position + 4);
        if (length == 0 && crc == 0) {
            return ZERO_HEADER;
        }
        if (length < 0 || length > maxRecordBytes) {
            return new Bad("record length " + Integer.toUnsignedString(length) + " exceeds the limit of "
                    + maxRecordBytes);
        }
        long available = size - position - RecordFormat.RECORD_HEADER_BYTES;
        if (length > available) {
            return new Bad("record of " + length + " bytes runs past the end of the file (" + available
                    + " bytes left)");
        }
        var payload = new byte[length];
        reader.read(position + RecordFormat.RECORD_HEADER_BYTES, payload);
        if (RecordFormat.recordCrc(length, payload, 0, length) != crc) {
            return new Bad("record CRC mismatch");
        }
        return new Good(payload);
    }

    /** Positional reads through a small window, so that scanning does not issue a read per record. */
    private static final class Reader {
        private final FileChannel channel;
        private final long size;
        private final ByteBuffer window = ByteBuffer.allocate(READ_BUFFER_BYTES);
        private long windowStart = -1;

        Reader(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        int readInt(long position) throws IOException {
            var bytes = new byte[4];
            read(position, bytes);
            return ByteBuffer.wrap(bytes).getInt();
        }

        void read(long position, byte[] into) throws IOException {
            if (into.length > window.capacity()) {
                readDirect(position, ByteBuffer.wrap(into));
                return;
            }
            if (windowStart < 0 || position < windowStart || position + into.length > windowStart + window.limit()) {
                fill(position);
            }
            window.get((int) (position - windowStart), into);
        }

        private void fill(long position) throws IOException {
            window.clear();
            window.limit((int) Math.min(window.capacity(), size - position));
            readDirect(position, window);
            window.flip();
            windowStart = position;
        }

        private void readDirect(long position, ByteBuffer into) throws IOException {
            long at = position;
            while (into.hasRemaining()) {
                int n = channel.read(into, at);
                if (n < 0) {
                    throw new EOFException("file shrank while being read at offset " + at);
                }
                at += n;
            }
        }
    }
}
