package crumbhub.server.core;

import java.util.function.Consumer;

/**
 * Where the core makes its changes durable: the embedded store, or a fake in tests. Both calls
 * return at once; the callback runs later on the store's thread, in call order, with null on
 * success or the failure. The core never waits for disk.
 */
public interface ChangeLog {
    /** Appends one record; {@code done} runs once it is durable (or failed). */
    void append(byte[] record, Consumer<Exception> done);

    /** Stores a snapshot of the state as of every record appended before this call. */
    void snapshot(byte[] state, Consumer<Exception> done);
}
