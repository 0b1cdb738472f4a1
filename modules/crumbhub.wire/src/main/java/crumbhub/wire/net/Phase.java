package crumbhub.wire.net;

import crumbhub.wire.ProtocolException;
import crumbhub.wire.WireException;
import java.nio.ByteBuffer;

/**
 * What a connection does with inbound Noise messages: first a {@link HandshakePhase}, which on
 * success hands over to a {@link TransportPhase}. The connection looks the phase up for every
 * message, because the last handshake message and the first frames can arrive in one read.
 * Loop thread only.
 */
sealed interface Phase permits HandshakePhase, TransportPhase {
    /** Checks an announced message length before any of its bytes is buffered. */
    void checkLength(int length) throws ProtocolException;

    /** Handles one whole message; may end this phase (the next message then goes to the next phase). */
    void onMessage(ByteBuffer message) throws WireException;
}
