package crumbhub.crypto.pqxdh;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import crumbhub.crypto.identity.IdentityPublicKey;
import java.util.Arrays;

/**
 * The public half of a signed ML-KEM-768 prekey: id, encapsulation key and the identity's
 * signature over {@code EncodeKEM(key)}. The same encoding serves both of PQXDH's pqkem prekey
 * kinds (section 3.2): the "last-resort" one, reused until rotated ({@link #verify}), and the
 * one-time ones, used once each ({@link #verifyOneTime}); the two are signed under different
 * labels, so one never passes for the other. Immutable; arrays are copied in and out.
 *
 * <p>Encoding, version 1 (1253 bytes): {@code u8 1, u32 id, key[1184], signature[64]}.
 */
public record KemPreKey(int id, byte[] publicKey, byte[] signature) {
    public static final int VERSION = 1;
    static final int ENCODED_LENGTH = 1 + 4 + MlKemKeyPair.PUBLIC_KEY_LENGTH + Ed25519KeyPair.SIGNATURE_LENGTH;

    public KemPreKey {
        PreKeys.requireId(id);
        if (publicKey.length != MlKemKeyPair.PUBLIC_KEY_LENGTH || signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("KEM prekey needs a 1184-byte key and a 64-byte signature");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /** Whether {@code identity} signed this prekey as its last-resort pqkem prekey. */
    public boolean verify(IdentityPublicKey identity) {
        return identity.verify(PreKeys.signedMessage(id, PreKeys.encodeKem(publicKey)), signature);
    }

    /** Whether {@code identity} signed this prekey as a one-time pqkem prekey. */
    public boolean verifyOneTime(IdentityPublicKey identity) {
        return identity.verify(PreKeys.oneTimeKemMessage(id, publicKey), signature);
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
    public static KemPreKey decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "KEM prekey", CryptoException::malformed);
        var key = read(in);
        in.end();
        return key;
    }

    void write(BinaryWriter out) {
        out.u8(VERSION).u31(id).fixed(publicKey, MlKemKeyPair.PUBLIC_KEY_LENGTH).fixed(signature, Ed25519KeyPair.SIGNATURE_LENGTH);
    }

    static KemPreKey read(BinaryReader<CryptoException> in) throws CryptoException {
        in.version(VERSION);
        return new KemPreKey(in.u31(), in.fixed(MlKemKeyPair.PUBLIC_KEY_LENGTH), in.fixed(Ed25519KeyPair.SIGNATURE_LENGTH));
    }

    /** Raw key bytes without the defensive copy, for this package's hot path. */
    byte[] publicKeyUnsafe() {
        return publicKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KemPreKey other && id == other.id
                && Arrays.equals(publicKey, other.publicKey) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "KemPreKey[id=" + id + "]";
    }
}
