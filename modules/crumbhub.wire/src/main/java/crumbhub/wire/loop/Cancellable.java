package crumbhub.wire.loop;

/** A handle to a scheduled timer. Thread-safe. */
public interface Cancellable {
    /**
     * Stops the timer from running. Returns true if this call stopped it; false if it had
     * already run, started running or been cancelled.
     */
    boolean cancel();

    boolean isCancelled();
}
