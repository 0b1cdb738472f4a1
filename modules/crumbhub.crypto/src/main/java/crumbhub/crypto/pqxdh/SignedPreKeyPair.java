package crumbhub.crypto.pqxdh;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import crumbhub.crypto.identity.IdentityKeys;
import java.security.SecureRandom;

/**
 * A signed X25519 prekey with its private key, kept by the device that published it. Rotated
 * periodically (a new id); the previous one is kept a while for initial messages in flight.
 * Not thread-safe; {@link #close()} zeroes the private key.
 *
 * <p>Private encoding, version 1 (101 bytes, secret): {@code u8 1, u32 id, private[32], signature[64]}.
 */
public final class SignedPreKeyPair implements AutoCloseable {
    public static final int VERSION = 1;

    private final int id;
    private final X25519KeyPair keyPair;
    private final byte[] signature;

    private SignedPreKeyPair(int id, X25519KeyPair keyPair, byte[] signature) {
        this.id = id;
        this.keyPair = keyPair;
        this.signature = signature;
    }

    /** A new prekey with the given id, its key drawn from {@code rng}, signed by {@code identity}. */
    public static SignedPreKeyPair generate(IdentityKeys identity, int id, SecureRandom rng) {
        PreKeys.requireId(id);
        var pair = X25519KeyPair.generate(rng);
        var sig = identity.sign(PreKeys.signedMessage(id, PreKeys.encodeEc(pair.publicKey())));
        return new SignedPreKeyPair(id, pair, sig);
    }

    public int id() {
        return id;
    }

    /** What goes into the bundle. */
    public SignedPreKey publicPart() {
        return new SignedPreKey(id, keyPair.publicKey(), signature);
    }

    /** X25519 of this prekey's private key and {@code remotePublic}. */
    byte[] dh(byte[] remotePublic) throws CryptoException {
        return keyPair.dh(remotePublic);
    }

    /** A new key pair object with the same private key, owned (and closed) by the caller. */
    X25519KeyPair copyKeyPair() {
        var priv = keyPair.privateKey();
        try {
            return X25519KeyPair.fromPrivate(priv);
        } finally {
            Bytes.zero(priv);
        }
    }

    /** The secret encoding; the caller encrypts it at rest and zeroes it. */
    public byte[] encodePrivate() {
        var priv = keyPair.privateKey();
        try {
            return BinaryWriter.growable(101).u8(VERSION).u31(id).fixed(priv, X25519KeyPair.KEY_LENGTH)
                    .fixed(signature, Ed25519KeyPair.SIGNATURE_LENGTH).toByteArray();
        } finally {
            Bytes.zero(priv);
        }
    }

    /** @throws CryptoException if malformed or of another version */
    public static SignedPreKeyPair decodePrivate(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "signed prekey pair", CryptoException::malformed);
        in.version(VERSION);
        int id = in.u31();
        var priv = in.fixed(X25519KeyPair.KEY_LENGTH);
        try {
            var sig = in.fixed(Ed25519KeyPair.SIGNATURE_LENGTH);
            in.end();
            return new SignedPreKeyPair(id, X25519KeyPair.fromPrivate(priv), sig);
        } finally {
            Bytes.zero(priv);
        }
    }

    @Override
    public void close() {
        keyPair.close();
    }

    @Override
    public String toString() {
        return "SignedPreKeyPair[id=" + id + ", private=<redacted>]";
    }
}
