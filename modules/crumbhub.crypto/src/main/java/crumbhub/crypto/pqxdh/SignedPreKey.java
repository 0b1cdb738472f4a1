package crumbhub.crypto.pqxdh;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import crumbhub.crypto.identity.IdentityPublicKey;
import java.util.Arrays;

/**
 * The public half of a signed X25519 prekey: id, key and the identity's signature over
 * {@code EncodeEC(key)} (PQXDH section 3.2). Immutable; arrays are copied in and out.
 *
 * <p>Encoding, version 1 (101 bytes): {@code u8 1, u32 id, key[32], signature[64]}.
 */
public record SignedPreKey(int id, byte[] publicKey, byte[] signature) {
    public static final int VERSION = 1;
    static final int ENCODED_LENGTH = 1 + 4 + X25519KeyPair.KEY_LENGTH + Ed25519KeyPair.SIGNATURE_LENGTH;

    public SignedPreKey {
        PreKeys.requireId(id);
        if (publicKey.length != X25519KeyPair.KEY_LENGTH || signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signed prekey needs a 32-byte key and a 64-byte signature");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /** Whether {@code identity} signed this prekey. */
    public boolean verify(IdentityPublicKey identity) {
        return identity.verify(PreKeys.signedMessage(id, PreKeys.encodeEc(publicKey)), signature);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] encode() {
        var out = BinaryWriter.growable(ENCODED_LENGTH);
        write(out);
        return out.toByteArray();
    }

    /** @throws CryptoException if malformed (the signature is not checked here: see {@link #verify}) */
    public static SignedPreKey decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "signed prekey", CryptoException::malformed);
        var key = read(in);
        in.end();
        return key;
    }

    void write(BinaryWriter out) {
        out.u8(VERSION).u31(id).fixed(publicKey, X25519KeyPair.KEY_LENGTH).fixed(signature, Ed25519KeyPair.SIGNATURE_LENGTH);
    }

    static SignedPreKey read(BinaryReader<CryptoException> in) throws CryptoException {
        in.version(VERSION);
        return new SignedPreKey(in.u31(), in.fixed(X25519KeyPair.KEY_LENGTH), in.fixed(Ed25519KeyPair.SIGNATURE_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPreKey other && id == other.id
                && Arrays.equals(publicKey, other.publicKey) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "SignedPreKey[id=" + id + "]";
    }
}
