package crumbhub.client.model;

/**
 * The UI as the session sees it. Implemented by the full-screen and the line-mode front ends.
 */
public interface ChatView {
    /**
     * Hands an event to the UI. Thread-safe and non-blocking: the event is queued and applied on
     * the UI thread, in the order posted.
     */
    void post(UiEvent event);
}
