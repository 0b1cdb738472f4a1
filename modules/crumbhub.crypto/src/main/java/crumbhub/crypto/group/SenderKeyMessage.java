package crumbhub.crypto.group;

import crumbhub.crypto.Aead;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One room message under a sender key: chain id, iteration, AES-256-GCM ciphertext, and the
 * chain's Ed25519 signature. Immutable; arrays are copied.
 *
 * <p>Encoding, version 1: {@code u8 1, u32 chainId, u32 iteration, ciphertext[16..65535],
 * signature[64]}; the signature covers {@code "CrumbHub SenderKey v1"} followed by every byte
 * before it.
 */
public record SenderKeyMessage(int chainId, int iteration, byte[] ciphertext, byte[] signature) {
    public static final int VERSION = 1;
    /** A message body on the wire is at most 65,535 bytes (protocol.md, bytes16). */
    public static final int MAX_CIPHERTEXT_LENGTH = 65_535;
    private static final byte[] SIGNATURE_LABEL = "CrumbHub SenderKey v1".getBytes(StandardCharsets.US_ASCII);
    private static final int PREFIX_LENGTH = 1 + 4 + 4;

    public SenderKeyMessage {
        if (chainId < 0 || iteration < 0) {
            throw new IllegalArgumentException("chain id and iteration are non-negative");
        }
        if (ciphertext.length < Aead.TAG_LENGTH || ciphertext.length > MAX_CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("ciphertext must be " + Aead.TAG_LENGTH + ".." + MAX_CIPHERTEXT_LENGTH + " bytes");
        }
        if (signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        ciphertext = ciphertext.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] encode() {
        return BinaryWriter.growable(PREFIX_LENGTH + ciphertext.length + Ed25519KeyPair.SIGNATURE_LENGTH)
                .u8(VERSION).u31(chainId).u31(iteration).raw(ciphertext).raw(signature).toByteArray();
    }

    /** @throws CryptoException if malformed (the signature is checked by {@link SenderKeyState#decrypt}) */
    public static SenderKeyMessage decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "sender key message", CryptoException::malformed);
        in.version(VERSION);
        int chainId = in.u31();
        int iteration = in.u31();
        int ctLength = in.remaining() - Ed25519KeyPair.SIGNATURE_LENGTH;
        if (ctLength < Aead.TAG_LENGTH || ctLength > MAX_CIPHERTEXT_LENGTH) {
            throw in.malformed("ciphertext length out of range");
        }
        var ciphertext = in.fixed(ctLength);
        var signature = in.fixed(Ed25519KeyPair.SIGNATURE_LENGTH);
        in.end();
        return new SenderKeyMessage(chainId, iteration, ciphertext, signature);
    }

    /** The bytes the chain's signing key signs. */
    static byte[] signedBytes(int chainId, int iteration, byte[] ciphertext) {
        return BinaryWriter.growable(SIGNATURE_LABEL.length + PREFIX_LENGTH + ciphertext.length)
                .raw(SIGNATURE_LABEL).u8(VERSION).u31(chainId).u31(iteration).raw(ciphertext).toByteArray();
    }

    byte[] ciphertextUnsafe() {
        return ciphertext;
    }

    byte[] signatureUnsafe() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SenderKeyMessage other && chainId == other.chainId && iteration == other.iteration
                && Arrays.equals(ciphertext, other.ciphertext) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * chainId + iteration) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SenderKeyMessage[chainId=" + chainId + ", iteration=" + iteration + ", " + ciphertext.length + " bytes]";
    }
}
