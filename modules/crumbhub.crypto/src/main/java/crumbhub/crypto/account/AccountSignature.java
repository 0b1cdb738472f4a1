package crumbhub.crypto.account;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;

/**
 * A hybrid signature by an account identity: Ed25519 (64 bytes) and ML-DSA-65 (3,309 bytes) over
 * the same message. Encoding: {@code bytes8 ed25519, bytes16 mlDsa}. Arrays are held by reference.
 */
public record AccountSignature(byte[] ed25519, byte[] mlDsa) {
    /** An ML-DSA-65 signature is 3,309 bytes. */
    static final int MAX_ML_DSA = 3_400;
    static final int MAX_ENCODED_LENGTH = 1 + Ed25519KeyPair.SIGNATURE_LENGTH + 2 + MAX_ML_DSA;

    void write(BinaryWriter out) {
        out.bytes8(ed25519).bytes16(mlDsa);
    }

    static AccountSignature read(BinaryReader<CryptoException> in) throws CryptoException {
        return new AccountSignature(in.bytes8(Ed25519KeyPair.SIGNATURE_LENGTH), in.bytes16(MAX_ML_DSA));
    }

    @Override
    public String toString() {
        return "AccountSignature[" + ed25519.length + "+" + mlDsa.length + " bytes]";
    }
}
