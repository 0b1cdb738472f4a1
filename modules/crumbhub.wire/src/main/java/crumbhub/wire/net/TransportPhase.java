package crumbhub.wire.net;

import crumbhub.crypto.noise.CipherState;
import crumbhub.crypto.noise.NoiseException;
import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.MalformedFrameException;
import crumbhub.wire.Protocol;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.WireException;
import java.nio.ByteBuffer;

/**
 * The transport phase of docs/protocol.md §1–§2 on one connection: decrypts each inbound Noise
 * message into the loop's plaintext buffer, rekeys the receiving CipherState every
 * {@code rekeyInterval} messages, and hands every frame to the connection in order. Owns the
 * transport keys; {@link #close()} zeroes them.
 */
final class TransportPhase implements Phase {
    /** Receive nonce above which the connection closes (§1: before 2^64 − 1). */
    private static final long NONCE_LIMIT = 0xFFFF_FFFF_FFFF_FFFEL;
    /** Smallest transport message: a tag and one empty frame with its length field. */
    private static final int MIN_MESSAGE = Protocol.TAG_LENGTH + FrameCodec.LENGTH_FIELD + Protocol.MIN_FRAME_LENGTH;

    private final NoiseConnection connection;
    private final TransportState transport;
    private final CipherState receive;
    private final long rekeyInterval;
    private final ByteBuffer plain;
    private long messagesReceived;

    TransportPhase(NoiseConnection connection, TransportState transport, long rekeyInterval, ByteBuffer plain) {
        this.connection = connection;
        this.transport = transport;
        this.receive = transport.receive();
        this.rekeyInterval = rekeyInterval;
        this.plain = plain;
    }

    /** The CipherState for what this side sends; Outbound encrypts with it. */
    CipherState sendCipher() {
        return transport.send();
    }

    long messagesReceived() {
        return messagesReceived;
    }

    @Override
    public void checkLength(int length) throws ProtocolException {
        if (length < MIN_MESSAGE) {
            throw new ProtocolException(Kind.PROTOCOL_ERROR, "transport message of " + length
                    + " bytes cannot hold a frame");
        }
    }

    @Override
    public void onMessage(ByteBuffer message) throws WireException {
        if (Long.compareUnsigned(receive.nonce(), NONCE_LIMIT) >= 0) {
            throw new ProtocolException(Kind.NONCE_EXHAUSTED, "receive nonce exhausted");
        }
        plain.clear();
        try {
            receive.decrypt(message, plain);
        } catch (NoiseException e) {
            throw new ProtocolException(Kind.PROTOCOL_ERROR, "transport message failed authentication (garbage, "
                    + "tampering or a lying length)");
        }
        messagesReceived++;
        if (Long.remainderUnsigned(receive.nonce(), rekeyInterval) == 0) {
            receive.rekey(); // §1: after every rekeyInterval messages in this direction
        }
        plain.flip();
        connection.frameArrived();
        while (plain.hasRemaining() && connection.isReading()) {
            Frame frame = FrameCodec.decode(plain);
            if (frame == null) {
                throw new MalformedFrameException(0, "a frame runs past the end of its Noise message");
            }
            connection.deliver(frame);
        }
    }

    /** Drops both directions' cipher objects until the next message (keys and nonces stay). */
    void release() {
        transport.send().release();
        receive.release();
    }

    /** Zeroes both transport keys. */
    void close() {
        transport.close();
    }
}
