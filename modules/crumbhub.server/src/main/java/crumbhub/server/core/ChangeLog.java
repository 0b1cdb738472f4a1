package crumbhub.server.core;

import java.util.List;

import java.nio.ByteBuffer;

import java.util.function.Consumer;

/**
 * Where the core makes its changes durable: the embedded store, or a fake in tests. Both calls
 * return at once; the callback runs later on the store's thread, in call order, with null on
 * success or the failure. The core never waits for disk.
 *
 * <p>Records depend on earlier ones (a message on its room, a join on the invitation), so a
 * failure must hold: once a record fails, every record appended after it fails too, unwritten,
 * until {@link #resume()}. The durable log is then always a prefix of what the core applied,
 * and the core can undo exactly the changes that failed ({@link Journal}).
 */
public interface ChangeLog {
    /** Appends one record; {@code done} runs once it is durable (or failed). */
    void append(byte[] record, Consumer<Exception> done);

    /**
     * Stores a snapshot of the state as of every record appended before this call: the
     * concatenation of {@code parts}, whose arrays the log keeps, not copies.
     */
    void snapshot(List<ByteBuffer> parts, Consumer<Exception> done);

    /** Ends the hold after a failure: records appended after this call are written again. */
    void resume();
}
