package crumbhub.wire.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.HandshakePattern;
import crumbhub.crypto.noise.HandshakeState;
import crumbhub.crypto.noise.NoiseException;
import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.Protocol;
import java.security.SecureRandom;
import java.util.List;

/**
 * The CrumbHub handshake of docs/protocol.md §1, Noise_XX_25519_AESGCM_SHA256 with prologue
 * {@code CrumbHub/1}, as a step function over whole messages: no I/O, no threads.
 *
 * <pre>
 *  msg 1  client -> server  e                  payload empty      32 bytes
 *  msg 2  server -> client  e, ee, s, es       payload u8 version 32 + (32+16) + (1+16) = 97 bytes
 *  msg 3  client -> server  s, se              payload u8 version (32+16) + (1+16)      = 65 bytes
 * </pre>
 * Every handshake message of version 1 has the exact length above, so a message of any other
 * length is refused before any cryptography runs.
 */
final class Handshake {
    private static final int DH = 32;
    private static final int TAG = Protocol.TAG_LENGTH;
    static final int MSG1_LENGTH = DH;
    static final int MSG2_LENGTH = DH + (DH + TAG) + (1 + TAG);
    static final int MSG3_LENGTH = (DH + TAG) + (1 + TAG);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] VERSION_PAYLOAD = {(byte) Protocol.VERSION};

    /** What the connection must do after a handshake message was read. */
    sealed interface Step {
        /** Send this handshake message (server, after msg 1). */
        record Reply(byte[] message) implements Step {}

        /** The peer's static key is known: check it, then {@link #finish()}. */
        record PeerKnown(byte[] remoteStatic) implements Step {}
    }

    private final HandshakeState state;
    private final boolean initiator;
    private int read;

    private Handshake(HandshakeState state, boolean initiator) {
        this.state = state;
        this.initiator = initiator;
    }

    static Handshake initiator(X25519KeyPair deviceKey, SecureRandom rng) {
        return new Handshake(HandshakeState.initiator(HandshakePattern.XX, Protocol.prologueBytes(), deviceKey, null,
                List.of(), rng), true);
    }

    static Handshake responder(X25519KeyPair serverKey, SecureRandom rng) {
        return new Handshake(HandshakeState.responder(HandshakePattern.XX, Protocol.prologueBytes(), serverKey, null,
                List.of(), rng), false);
    }

    /** Message 1, the client's opening. Initiator only, once. */
    byte[] firstMessage() throws ProtocolException {
        return write(EMPTY);
    }

    /** Length the next inbound handshake message must have. */
    int expectedLength() {
        if (initiator) {
            return MSG2_LENGTH;
        }
        return read == 0 ? MSG1_LENGTH : MSG3_LENGTH;
    }

    /** Which message of §1 comes in next (1, 2 or 3), for error messages. */
    int expectedNumber() {
        return initiator ? 2 : (read == 0 ? 1 : 3);
    }

    /** Processes one inbound handshake message of {@link #expectedLength()} bytes. */
    Step read(byte[] message) throws ProtocolException {
        int number = expectedNumber();
        if (message.length != expectedLength()) {
            throw new ProtocolException(Kind.HANDSHAKE_FAILED, "handshake message " + number + " is "
                    + message.length + " bytes, expected " + expectedLength());
        }
        byte[] payload;
        try {
            payload = state.readMessage(message);
        } catch (NoiseException | RuntimeException e) {
            throw new ProtocolException(Kind.HANDSHAKE_FAILED, "handshake message " + number + " was refused: "
                    + e.getMessage());
        }
        read++;
        if (number == 1) {
            if (payload.length != 0) {
                throw new ProtocolException(Kind.HANDSHAKE_FAILED, "handshake message 1 must have an empty payload");
            }
            return new Step.Reply(write(VERSION_PAYLOAD));
        }
        if (payload.length != 1 || (payload[0] & 0xFF) != Protocol.VERSION) {
            throw new ProtocolException(Kind.VERSION_MISMATCH, "peer speaks protocol version "
                    + (payload.length == 1 ? Integer.toString(payload[0] & 0xFF) : "?") + ", this side speaks "
                    + Protocol.VERSION);
        }
        return new Step.PeerKnown(state.remoteStatic());
    }

    /** Message 3, after the client accepted the server's key. Initiator only. */
    byte[] finalMessage() throws ProtocolException {
        return write(VERSION_PAYLOAD);
    }

    /** The transport state; the handshake is unusable afterwards. */
    TransportState finish() {
        return state.split();
    }

    private byte[] write(byte[] payload) throws ProtocolException {
        try {
            return state.writeMessage(payload);
        } catch (NoiseException | RuntimeException e) {
            throw new ProtocolException(Kind.HANDSHAKE_FAILED, "handshake failed: " + e.getMessage());
        }
    }
}
