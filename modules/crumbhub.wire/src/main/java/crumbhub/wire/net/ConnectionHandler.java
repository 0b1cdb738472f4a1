package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.Frame;

/**
 * Receives a connection's events. Every method runs on the connection's event loop thread, one
 * at a time, and must not block (hand slow work to a worker pool and come back with
 * {@link Connection#send}, which is thread-safe). An exception thrown by a method closes that
 * connection (reason {@link CloseReason.Kind#HANDLER_ERROR}) and nothing else.
 */
public interface ConnectionHandler {

    /** Creates the handler of each accepted connection. Runs on the connection's loop thread. */
    @FunctionalInterface
    interface Factory {
        /** Called once per accepted connection, before its handshake; {@code connection} is not ready yet. */
        ConnectionHandler create(Connection connection);
    }

    /**
     * The peer's static key is known and the handshake is about to finish: after message 2 on the
     * client (before it sends message 3), after message 3 on the server. Return false to refuse
     * the peer; the connection then closes with {@link CloseReason.Kind#KEY_REJECTED}. This is
     * where a client pins the server key (known_hosts style). The default accepts every key.
     *
     * @param remoteStatic a copy of the peer's 32-byte static public key
     */
    default boolean acceptRemoteKey(Connection connection, byte[] remoteStatic) {
        return true;
    }

    /** The handshake finished; {@link Connection#remoteStatic()} is known and frames can flow. */
    void onReady(Connection connection);

    /** A frame arrived. Frames arrive in order; the frame is the handler's to keep. */
    void onFrame(Connection connection, Frame frame);

    /**
     * The connection went over its soft outbound limit ({@code writable} false) or drained to
     * half of it ({@code writable} true). A server stops live pushes while unwritable.
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /** The connection closed; called exactly once, also when it never became ready. */
    void onClosed(Connection connection, CloseReason reason);
}
