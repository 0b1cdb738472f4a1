package crumbhub.crypto.pqxdh;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.IdentityPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server hands an initiator for one device of the responder (PQXDH section 3.3): the
 * device identity, its signed X25519 prekey, its signed ML-KEM-768 prekey and, while the pool
 * lasts, one one-time X25519 prekey. Immutable.
 *
 * <p>Encoding, version 1: {@code u8 1, identity[129], SignedPreKey[101], KemPreKey[1253],
 * u8 hasOneTime, [OneTimePreKey[37]]}.
 */
public record PreKeyBundle(IdentityPublicKey identity, SignedPreKey signedPreKey, KemPreKey kemPreKey,
                           Optional<OneTimePreKey> oneTimePreKey) {
    public static final int VERSION = 1;

    public PreKeyBundle {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(kemPreKey, "kemPreKey");
        Objects.requireNonNull(oneTimePreKey, "oneTimePreKey");
    }

    /**
     * Checks both prekey signatures against the bundle's identity (the identity's own binding was
     * checked when it was decoded).
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
    }

    public byte[] encode() {
        var out = BinaryWriter.growable(1600).u8(VERSION).raw(identity.encode());
        signedPreKey.write(out);
        kemPreKey.write(out);
        out.flag(oneTimePreKey.isPresent());
        oneTimePreKey.ifPresent(k -> k.write(out));
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
        in.version(VERSION);
        var identity = IdentityPublicKey.decode(in.fixed(IdentityPublicKey.ENCODED_LENGTH));
        var spk = SignedPreKey.read(in);
        var kpk = KemPreKey.read(in);
        var opk = in.flag() ? Optional.of(OneTimePreKey.read(in)) : Optional.<OneTimePreKey>empty();
        in.end();
        return new PreKeyBundle(identity, spk, kpk, opk);
    }
}
