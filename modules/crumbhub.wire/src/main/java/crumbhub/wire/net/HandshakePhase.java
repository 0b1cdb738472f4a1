package crumbhub.wire.net;

import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.Protocol;
import crumbhub.wire.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The handshake of docs/protocol.md §1 on one connection: checks each message's exact length
 * before buffering it, runs it through {@link Handshake}, and on the last message lets the
 * handler judge the peer's key before the connection opens.
 */
final class HandshakePhase implements Phase {
    private final NoiseConnection connection;
    private final Handshake handshake;
    private final boolean initiator;

    HandshakePhase(NoiseConnection connection, Handshake handshake, boolean initiator) {
        this.connection = connection;
        this.handshake = handshake;
        this.initiator = initiator;
    }

    @Override
    public void checkLength(int length) throws ProtocolException {
        if (initiator && length == Protocol.REFUSAL_LENGTH) {
            throw new ProtocolException(Kind.REFUSED, "the server refused the connection: too many connections"
                    + " (from this address, or in total); try again later");
        }
        if (length != handshake.expectedLength()) {
            throw new ProtocolException(Kind.HANDSHAKE_FAILED, "handshake message " + handshake.expectedNumber()
                    + " announced " + length + " bytes, expected " + handshake.expectedLength()
                    + " (not a CrumbHub/1 peer?)");
        }
    }

    @Override
    public void onMessage(ByteBuffer message) throws ProtocolException {
        byte[] m = new byte[message.remaining()];
        message.get(m);
        switch (handshake.read(m)) {
            case Handshake.Step.Reply r -> connection.queueHandshakeMessage(r.message());
            case Handshake.Step.PeerKnown p -> {
                if (!connection.acceptPeer(p.remoteStatic())) {
                    return;
                }
                if (initiator) {
                    connection.queueHandshakeMessage(handshake.finalMessage());
                }
                connection.becomeOpen(handshake.finish(), p.remoteStatic());
            }
        }
    }
}
