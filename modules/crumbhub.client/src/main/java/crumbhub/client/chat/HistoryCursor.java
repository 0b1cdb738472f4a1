package crumbhub.client.chat;

import crumbhub.client.ClientException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A reader of a history file's records from a given one on, one at a time ({@link
 * HistoryFile#cursor}), so that several files can be read side by side: the search index merges
 * them by time. Stops at the end or at a torn tail. Close it when done.
 *
 * <p>Not thread-safe; blocking file I/O.
 */
final class HistoryCursor implements AutoCloseable {
    private final Path path;
    private final RecordSeal seal;
    private final FileChannel channel;
    private final DataInputStream in;
    private final long size;
    private long offset;
    private long index;
    private HistoryRecord record;
    private long recordIndex;
    private long recordOffset;

    /** Reads {@code path} from {@code offset}, which is record {@code index}. */
    HistoryCursor(Path path, RecordSeal seal, long offset, long index) {
        this.path = path;
        this.seal = seal;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
            this.size = channel.size();
            this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel.position(offset)),
                    1 << 16));
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + HistoryFile.reason(e), e);
        }
        this.offset = offset;
        this.index = index;
    }

    /** Moves to the next record; false at the end or at a torn tail. */
    boolean next() {
        try {
            if (offset + RecordSeal.LENGTH_FIELD > size) {
                return false;
            }
            int n = in.readInt();
            if (!RecordSeal.plausible(n) || offset + RecordSeal.LENGTH_FIELD + n > size) {
                return false;
            }
            byte[] body = in.readNBytes(n);
            recordIndex = index;
            recordOffset = offset;
            record = seal.openRecord(index, body);
            offset += RecordSeal.LENGTH_FIELD + n;
            index++;
            return true;
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + HistoryFile.reason(e), e);
        }
    }

    /** The current record, or null if it failed its check. */
    HistoryRecord record() {
        return record;
    }

    long recordIndex() {
        return recordIndex;
    }

    long recordOffset() {
        return recordOffset;
    }

    /** Where the next record would start: after the last whole record read. */
    HistoryFile.Layout layout() {
        return new HistoryFile.Layout(index, offset);
    }

    /**
     * Reads the length fields of {@code path} from {@code offset} (which is record {@code index}) to
     * the end, without decrypting, handing each record's index and offset to {@code visitor} (if
     * any). Stops at a torn tail or an impossible length.
     */
    static HistoryFile.Layout scan(Path path, long offset, long index, HistoryFile.Visitor visitor) {
        try (var ch = FileChannel.open(path, StandardOpenOption.READ);
             var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch.position(offset)),
                     1 << 16))) {
            long size = ch.size();
            while (offset + RecordSeal.LENGTH_FIELD <= size) {
                int n = in.readInt();
                if (!RecordSeal.plausible(n) || offset + RecordSeal.LENGTH_FIELD + n > size) {
                    break;
                }
                in.skipNBytes(n);
                if (visitor != null) {
                    visitor.record(index, offset);
                }
                offset += RecordSeal.LENGTH_FIELD + n;
                index++;
            }
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + HistoryFile.reason(e), e);
        }
        return new HistoryFile.Layout(index, offset);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw ClientException.store("cannot close " + path + ": " + HistoryFile.reason(e), e);
        }
    }
}
