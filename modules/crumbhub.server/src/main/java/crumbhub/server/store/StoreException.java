package crumbhub.server.store;

import java.util.Objects;

/**
 * A failure of the durable store. The {@link Kind} tells the caller what to do about it:
 * {@code BUSY} means try again later, {@code IO} means this write did not become durable,
 * the others are permanent for the operation that saw them.
 */
public sealed class StoreException extends Exception permits StoreCorruptedException {

    /** Why an operation failed. */
    public enum Kind {
        /** The commit queue is full (its byte bound), or a snapshot is already in flight. */
        BUSY,
        /** The record is larger than {@link StoreOptions#maxRecordBytes()}. */
        TOO_LARGE,
        /** The store was closed before the operation was accepted. */
        CLOSED,
        /** Writing or forcing failed (disk full, I/O error); the affected records are not durable. */
        IO,
        /** A file on disk failed its checks; see {@link StoreCorruptedException}. */
        CORRUPTED,
        /** Another process (or another store in this JVM) holds the directory's lock. */
        IN_USE,
        /** The caller's {@link EventStore.Recovery} callback threw while the log was replayed. */
        RECOVERY_FAILED
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
