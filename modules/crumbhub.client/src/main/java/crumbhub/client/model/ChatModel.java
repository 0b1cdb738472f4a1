package crumbhub.client.model;

/**
 * The session as the UI sees it: the side that talks to the server, encrypts and decrypts. The
 * client's session code implements this; {@code tui.DemoModel} is an in-memory stand-in.
 *
 * <p>Both methods are called on the UI thread and must return quickly: slow work (network,
 * crypto, disk) goes to the session's own threads, and results come back through
 * {@link ChatView#post} from any thread.
 */
public interface ChatModel {
    /**
     * The UI is up; from now on post events to {@code view}: first {@link UiEvent.SessionInfo},
     * the connection state and the conversations that exist, then whatever happens.
     */
    void attach(ChatView view);

    /** The user asked for something. {@link UserAction.Quit} is the last call. */
    void perform(UserAction action);
}
