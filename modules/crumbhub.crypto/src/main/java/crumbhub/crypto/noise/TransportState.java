package crumbhub.crypto.noise;

/**
 * The result of a finished handshake: one {@link CipherState} per direction, the peer's static
 * key (if the pattern carried one) and the final handshake hash, which both sides share and
 * which can bind higher-level authentication to this session (Noise rev 34, section 11.2).
 *
 * <p>Not thread-safe as a whole, but {@link #send()} and {@link #receive()} are independent:
 * one thread may write while another reads. {@link #close()} zeroes both keys.
 */
public final class TransportState implements AutoCloseable {
    private final CipherState send;
    private final CipherState receive;
    private final byte[] remoteStatic;
    private final byte[] handshakeHash;

    TransportState(CipherState send, CipherState receive, byte[] remoteStatic, byte[] handshakeHash) {
        this.send = send;
        this.receive = receive;
        this.remoteStatic = remoteStatic == null ? null : remoteStatic.clone();
        this.handshakeHash = handshakeHash.clone();
    }

    /** Encrypts what this side sends: c1 for the initiator, c2 for the responder. */
    public CipherState send() {
        return send;
    }

    /** Decrypts what this side receives. Unused by the spec for one-way patterns. */
    public CipherState receive() {
        return receive;
    }

    /** A copy of the peer's 32-byte static public key, or null if the pattern has none. */
    public byte[] remoteStatic() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    /** A copy of the 32-byte handshake hash h, equal on both sides. */
    public byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    /** Zeroes both transport keys; the cipher states throw afterwards. */
    @Override
    public void close() {
        send.destroy();
        receive.destroy();
    }

    @Override
    public String toString() {
        return "TransportState[send=" + send + ", receive=" + receive + "]";
    }
}
