package crumbhub.crypto.pqxdh;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-time X25519 prekey with its private key. The device deletes it once an initial message
 * that used it has been accepted ({@link Pqxdh.Response#consumedOneTimePreKey()}), so a replayed
 * initial message cannot reuse it. Not thread-safe; {@link #close()} zeroes the private key.
 *
 * <p>Private encoding, version 1 (37 bytes, secret): {@code u8 1, u32 id, private[32]}.
 */
public final class OneTimePreKeyPair implements AutoCloseable {
    public static final int VERSION = 1;
    /** One refill: enough for a burst of new contacts, small enough for one upload frame. */
    public static final int MAX_BATCH = 100;

    private final int id;
    private final X25519KeyPair keyPair;

    private OneTimePreKeyPair(int id, X25519KeyPair keyPair) {
        this.id = id;
        this.keyPair = keyPair;
    }

    public static OneTimePreKeyPair generate(int id, SecureRandom rng) {
        PreKeys.requireId(id);
        return new OneTimePreKeyPair(id, X25519KeyPair.generate(rng));
    }

    /**
     * {@code count} prekeys with ids {@code firstId, firstId + 1, ...}.
     *
     * @throws IllegalArgumentException if count is not 1..{@link #MAX_BATCH} or the ids overflow
     */
    public static List<OneTimePreKeyPair> generateBatch(int firstId, int count, SecureRandom rng) {
        if (count < 1 || count > MAX_BATCH) {
            throw new IllegalArgumentException("one-time prekey batch must be 1.." + MAX_BATCH);
        }
        PreKeys.requireId(firstId);
        PreKeys.requireId(firstId + count - 1);
        var out = new ArrayList<OneTimePreKeyPair>(count);
        for (int i = 0; i < count; i++) {
            out.add(generate(firstId + i, rng));
        }
        return List.copyOf(out);
    }

    public int id() {
        return id;
    }

    public OneTimePreKey publicPart() {
        return new OneTimePreKey(id, keyPair.publicKey());
    }

    byte[] dh(byte[] remotePublic) throws CryptoException {
        return keyPair.dh(remotePublic);
    }

    /** The secret encoding; the caller encrypts it at rest and zeroes it. */
    public byte[] encodePrivate() {
        var priv = keyPair.privateKey();
        try {
            return BinaryWriter.growable(37).u8(VERSION).u31(id).fixed(priv, X25519KeyPair.KEY_LENGTH).toByteArray();
        } finally {
            Bytes.zero(priv);
        }
    }

    /** @throws CryptoException if malformed or of another version */
    public static OneTimePreKeyPair decodePrivate(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "one-time prekey pair", CryptoException::malformed);
        in.version(VERSION);
        int id = in.u31();
        var priv = in.fixed(X25519KeyPair.KEY_LENGTH);
        try {
            in.end();
            return new OneTimePreKeyPair(id, X25519KeyPair.fromPrivate(priv));
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
        return "OneTimePreKeyPair[id=" + id + ", private=<redacted>]";
    }
}
