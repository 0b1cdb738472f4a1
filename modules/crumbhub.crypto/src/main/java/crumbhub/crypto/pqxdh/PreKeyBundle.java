package crumbhub.crypto.pqxdh;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.IdentityPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server hands an initiator for one device of the responder (PQXDH section 3.3): the
 * device identity, its signed X25519 prekey, its signed last-resort ML-KEM-768 prekey and, while
 * the pools last, one one-time X25519 prekey and one signed one-time ML-KEM-768 prekey. The
 * initiator uses the one-time ML-KEM prekey when there is one, else the last-resort one
 * (section 3.3). Immutable.
 *
 * <p>Encoding, version 1: {@code u8 1, identity[129], SignedPreKey[101], KemPreKey[1253],
 * u8 hasOneTime, [OneTimePreKey[37]]}; version 2 (written when a one-time ML-KEM prekey is
 * present) appends {@code KemPreKey[1253] oneTimeKemPreKey}.
 */
public record PreKeyBundle(IdentityPublicKey identity, SignedPreKey signedPreKey, KemPreKey kemPreKey,
                           Optional<OneTimePreKey> oneTimePreKey, Optional<KemPreKey> oneTimeKemPreKey) {
    public static final int VERSION = 1;
    /** The encoding with a one-time ML-KEM prekey. */
    public static final int VERSION_ONE_TIME_KEM = 2;

    public PreKeyBundle {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(kemPreKey, "kemPreKey");
        Objects.requireNonNull(oneTimePreKey, "oneTimePreKey");
        Objects.requireNonNull(oneTimeKemPreKey, "oneTimeKemPreKey");
    }

    /** A bundle without a one-time ML-KEM prekey (the pool was empty: the last-resort one is used). */
    public PreKeyBundle(IdentityPublicKey identity, SignedPreKey signedPreKey, KemPreKey kemPreKey,
                        Optional<OneTimePreKey> oneTimePreKey) {
        this(identity, signedPreKey, kemPreKey, oneTimePreKey, Optional.empty());
    }

    /**
     * Checks every prekey signature against the bundle's identity (the identity's own binding was
     * checked when it was decoded): the one-time ML-KEM prekey must carry a one-time signature, so
     * a server can neither forge one nor pass the last-resort key off as one.
     *
     * @throws CryptoException naming the prekey whose signature does not verify
     */
    public void verify() throws CryptoException {
        if (!signedPreKey.verify(identity)) {
            throw new CryptoException("prekey bundle: signed prekey signature does not verify");
        }
        if (!kemPreKey.verify(identity)) {
            throw new CryptoException("prekey bundle: KEM prekey signature does not verify");
        }
        if (oneTimeKemPreKey.isPresent() && !oneTimeKemPreKey.get().verifyOneTime(identity)) {
            throw new CryptoException("prekey bundle: one-time KEM prekey signature does not verify");
        }
    }

    public byte[] encode() {
        var out = BinaryWriter.growable(2800).u8(oneTimeKemPreKey.isPresent() ? VERSION_ONE_TIME_KEM : VERSION)
                .raw(identity.encode());
        signedPreKey.write(out);
        kemPreKey.write(out);
        out.flag(oneTimePreKey.isPresent());
        oneTimePreKey.ifPresent(k -> k.write(out));
        oneTimeKemPreKey.ifPresent(k -> k.write(out));
        return out.toByteArray();
    }

    /**
     * Parses a bundle. Checks the identity binding but not the prekey signatures ({@link #verify()},
     * which {@link Pqxdh#initiate} always calls).
     *
     * @throws CryptoException if malformed
     */
    public static PreKeyBundle decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "prekey bundle", CryptoException::malformed);
        int version = in.u8("version");
        if (version != VERSION && version != VERSION_ONE_TIME_KEM) {
            throw in.malformed("unsupported version " + version);
        }
        var identity = IdentityPublicKey.decode(in.fixed(IdentityPublicKey.ENCODED_LENGTH));
        var spk = SignedPreKey.read(in);
        var kpk = KemPreKey.read(in);
        var opk = in.flag() ? Optional.of(OneTimePreKey.read(in)) : Optional.<OneTimePreKey>empty();
        var okpk = version == VERSION_ONE_TIME_KEM ? Optional.of(KemPreKey.read(in)) : Optional.<KemPreKey>empty();
        in.end();
        return new PreKeyBundle(identity, spk, kpk, opk, okpk);
    }
}
