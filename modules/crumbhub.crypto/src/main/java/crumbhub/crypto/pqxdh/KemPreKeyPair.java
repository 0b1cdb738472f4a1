package crumbhub.crypto.pqxdh;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import crumbhub.crypto.identity.IdentityKeys;
import java.security.SecureRandom;

/**
 * A signed ML-KEM-768 prekey with its private seed, kept by the device that published it: the
 * PQXDH last-resort pqkem prekey ({@link #generate}) or a one-time pqkem prekey
 * ({@link #generateOneTime}; the signature tells them apart). Not thread-safe; {@link #close()}
 * zeroes the seed.
 *
 * <p>Private encoding, version 1 (133 bytes, secret): {@code u8 1, u32 id, seed[64], signature[64]}.
 */
public final class KemPreKeyPair implements AutoCloseable {
    public static final int VERSION = 1;

    private final int id;
    private final MlKemKeyPair keyPair;
    private final byte[] signature;

    private KemPreKeyPair(int id, MlKemKeyPair keyPair, byte[] signature) {
        this.id = id;
        this.keyPair = keyPair;
        this.signature = signature;
    }

    /** A new prekey with the given id, its seed drawn from {@code rng}, signed by {@code identity}. */
    public static KemPreKeyPair generate(IdentityKeys identity, int id, SecureRandom rng) {
        PreKeys.requireId(id);
        var pair = MlKemKeyPair.generate(rng);
        var sig = identity.sign(PreKeys.signedMessage(id, PreKeys.encodeKem(pair.publicKey())));
        return new KemPreKeyPair(id, pair, sig);
    }

    /**
     * A new one-time pqkem prekey (PQXDH section 3.2), signed by {@code identity} under the one-time
     * label (docs/crypto.md "PQXDH"); its public part verifies with {@link KemPreKey#verifyOneTime}.
     */
    public static KemPreKeyPair generateOneTime(IdentityKeys identity, int id, SecureRandom rng) {
        PreKeys.requireId(id);
        var pair = MlKemKeyPair.generate(rng);
        var sig = identity.sign(PreKeys.oneTimeKemMessage(id, pair.publicKey()));
        return new KemPreKeyPair(id, pair, sig);
    }

    /**
     * A batch of {@code count} one-time pqkem prekeys with ids {@code firstId}, {@code firstId + 1}, …
     * At most {@link #MAX_ONE_TIME_BATCH}: each costs a key generation and a signature.
     */
    public static java.util.List<KemPreKeyPair> generateOneTimeBatch(IdentityKeys identity, int firstId, int count,
                                                                     SecureRandom rng) {
        if (count < 0 || count > MAX_ONE_TIME_BATCH) {
            throw new IllegalArgumentException("batch of 0.." + MAX_ONE_TIME_BATCH + " one-time KEM prekeys, got " + count);
        }
        if (firstId < 0 || firstId > Integer.MAX_VALUE - count) {
            throw new IllegalArgumentException("one-time KEM prekey ids out of range");
        }
        var out = new java.util.ArrayList<KemPreKeyPair>(count);
        for (int i = 0; i < count; i++) {
            out.add(generateOneTime(identity, firstId + i, rng));
        }
        return out;
    }

    /** Most one-time pqkem prekeys in one batch: 40 encodings of 1,253 bytes fit one upload frame. */
    public static final int MAX_ONE_TIME_BATCH = 40;

    public int id() {
        return id;
    }

    /** What goes into the bundle. */
    public KemPreKey publicPart() {
        return new KemPreKey(id, keyPair.publicKey(), signature);
    }

    byte[] decapsulate(byte[] ciphertext) throws CryptoException {
        return keyPair.decapsulate(ciphertext);
    }

    /** The secret encoding; the caller encrypts it at rest and zeroes it. */
    public byte[] encodePrivate() {
        var seed = keyPair.seed();
        try {
            return BinaryWriter.growable(133).u8(VERSION).u31(id).fixed(seed, MlKemKeyPair.SEED_LENGTH)
                    .fixed(signature, Ed25519KeyPair.SIGNATURE_LENGTH).toByteArray();
        } finally {
            Bytes.zero(seed);
        }
    }

    /** @throws CryptoException if malformed or of another version */
    public static KemPreKeyPair decodePrivate(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "KEM prekey pair", CryptoException::malformed);
        in.version(VERSION);
        int id = in.u31();
        var seed = in.fixed(MlKemKeyPair.SEED_LENGTH);
        try {
            var sig = in.fixed(Ed25519KeyPair.SIGNATURE_LENGTH);
            in.end();
            return new KemPreKeyPair(id, MlKemKeyPair.fromSeed(seed), sig);
        } finally {
            Bytes.zero(seed);
        }
    }

    @Override
    public void close() {
        keyPair.close();
    }

    @Override
    public String toString() {
        return "KemPreKeyPair[id=" + id + ", private=<redacted>]";
    }
}
