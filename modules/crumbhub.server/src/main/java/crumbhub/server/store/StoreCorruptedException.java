package crumbhub.server.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A store file failed a check that a crash cannot explain: a bad CRC or length in the middle
 * of the log or in an older segment, a bad header, a gap between segments, or a snapshot that
 * cannot be used. Names the file and the byte offset so an operator can inspect it.
 * The store never skips such data on its own.
 */
public final class StoreCorruptedException extends StoreException {

    private final transient Path file;
    private final long offset;
    private final String reason;

    public StoreCorruptedException(Path file, long offset, String reason) {
        super(Kind.CORRUPTED, "corrupt store file " + file + " at offset " + offset + ": " + reason);
        this.file = Objects.requireNonNull(file, "file");
        this.offset = offset;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The file that failed its check. */
    public Path file() {
        return file;
    }

    /** Byte offset within {@link #file()} where the bad data starts. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the file and offset. */
    public String reason() {
        return reason;
    }
}
