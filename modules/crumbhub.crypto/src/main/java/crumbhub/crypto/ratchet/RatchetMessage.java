package crumbhub.crypto.ratchet;

import crumbhub.crypto.Aead;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;

/**
 * One Double Ratchet message: the header (spec section 3.1, HEADER: the sender's current ratchet
 * public key, PN = messages in the sender's previous sending chain, N = this message's number in
 * the current chain) and the AES-256-GCM ciphertext. Immutable; arrays are copied.
 *
 * <p>Encoding, version 1: {@code u8 1, ratchetKey[32], u32 previousChainLength, u32 messageNumber,
 * ciphertext[16..MAX_CIPHERTEXT_LENGTH]} (the rest). The first {@value #HEADER_LENGTH} bytes are
 * the header as authenticated.
 */
public record RatchetMessage(byte[] ratchetKey, int previousChainLength, int messageNumber, byte[] ciphertext) {
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 1 + X25519KeyPair.KEY_LENGTH + 4 + 4;
    /** A message body on the wire is at most 65,535 bytes (protocol.md, bytes16), so no ciphertext is larger. */
    public static final int MAX_CIPHERTEXT_LENGTH = 65_535;

    public RatchetMessage {
        if (ratchetKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("ratchet key must be 32 bytes");
        }
        if (previousChainLength < 0 || messageNumber < 0) {
            throw new IllegalArgumentException("message counters are non-negative");
        }
        if (ciphertext.length < Aead.TAG_LENGTH || ciphertext.length > MAX_CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("ciphertext must be " + Aead.TAG_LENGTH + ".." + MAX_CIPHERTEXT_LENGTH + " bytes");
        }
        ratchetKey = ratchetKey.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ratchetKey() {
        return ratchetKey.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public byte[] encode() {
        return BinaryWriter.growable(HEADER_LENGTH + ciphertext.length).raw(header()).raw(ciphertext).toByteArray();
    }

    /** @throws CryptoException if malformed (wrong version, short, counters out of range, oversized) */
    public static RatchetMessage decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "ratchet message", CryptoException::malformed);
        in.version(VERSION);
        var key = in.fixed(X25519KeyPair.KEY_LENGTH);
        int pn = in.u31();
        int n = in.u31();
        if (in.remaining() < Aead.TAG_LENGTH || in.remaining() > MAX_CIPHERTEXT_LENGTH) {
            throw in.malformed("ciphertext length out of range");
        }
        return new RatchetMessage(key, pn, n, in.rest());
    }

    /** The header bytes that are authenticated with the ciphertext. */
    byte[] header() {
        return header(ratchetKey, previousChainLength, messageNumber);
    }

    static byte[] header(byte[] ratchetKey, int previousChainLength, int messageNumber) {
        return BinaryWriter.growable(HEADER_LENGTH).u8(VERSION).fixed(ratchetKey, X25519KeyPair.KEY_LENGTH)
                .u31(previousChainLength).u31(messageNumber).toByteArray();
    }

    byte[] ratchetKeyUnsafe() {
        return ratchetKey;
    }

    byte[] ciphertextUnsafe() {
        return ciphertext;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatchetMessage other && previousChainLength == other.previousChainLength
                && messageNumber == other.messageNumber && Arrays.equals(ratchetKey, other.ratchetKey)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ratchetKey) + messageNumber;
    }

    @Override
    public String toString() {
        return "RatchetMessage[pn=" + previousChainLength + ", n=" + messageNumber + ", " + ciphertext.length + " bytes]";
    }
}
