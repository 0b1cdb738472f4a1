package crumbhub.wire.loop;

/**
 * What an {@link EventLoop} calls for a channel registered with it. Both methods run on the loop
 * thread and must not block.
 */
public interface IoHandler {
    /**
     * The channel is ready for the operations in {@code readyOps}. An exception thrown here is
     * logged and the channel is closed; handlers should handle their own failures instead.
     */
    void onSelected(int readyOps);

    /** The loop is shutting down: release the channel (close it and tell whoever cares). */
    void onLoopShutdown();
}
