package crumbhub.crypto.pqxdh;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.IdentityPublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The key-agreement part of the initiator's first message (PQXDH section 3.3): the initiator's
 * identity, the ids of the responder's prekeys used, the ephemeral X25519 key and the ML-KEM
 * ciphertext. {@code oneTimeKem} says whether {@code kemPreKeyId} names a one-time ML-KEM prekey
 * (used once, then deleted) or the last-resort one. The first Double Ratchet message travels
 * with it. Immutable; arrays are copied.
 *
 * <p>Encoding, version 1 (last-resort ML-KEM prekey): {@code u8 1, identity[129],
 * u32 signedPreKeyId, u32 kemPreKeyId, u8 hasOneTime, [u32 oneTimePreKeyId], ephemeral[32],
 * kemCiphertext[1088]}; version 2 (one-time ML-KEM prekey) is the same after its version byte. A
 * ciphertext of any other length is rejected here.
 */
public record InitialMessage(IdentityPublicKey initiator, int signedPreKeyId, int kemPreKeyId, boolean oneTimeKem,
                             OptionalInt oneTimePreKeyId, byte[] ephemeralKey, byte[] kemCiphertext) {
    public static final int VERSION = 1;
    /** The version whose {@code kemPreKeyId} names a one-time ML-KEM prekey. */
    public static final int VERSION_ONE_TIME_KEM = 2;

    /** A message that used the last-resort ML-KEM prekey. */
    public InitialMessage(IdentityPublicKey initiator, int signedPreKeyId, int kemPreKeyId, OptionalInt oneTimePreKeyId,
                          byte[] ephemeralKey, byte[] kemCiphertext) {
        this(initiator, signedPreKeyId, kemPreKeyId, false, oneTimePreKeyId, ephemeralKey, kemCiphertext);
    }

    public InitialMessage {
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(oneTimePreKeyId, "oneTimePreKeyId");
        PreKeys.requireId(signedPreKeyId);
        PreKeys.requireId(kemPreKeyId);
        oneTimePreKeyId.ifPresent(PreKeys::requireId);
        if (ephemeralKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("ephemeral key must be 32 bytes");
        }
        if (kemCiphertext.length != MlKemKeyPair.CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("KEM ciphertext must be " + MlKemKeyPair.CIPHERTEXT_LENGTH + " bytes");
        }
        ephemeralKey = ephemeralKey.clone();
        kemCiphertext = kemCiphertext.clone();
    }

    @Override
    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    @Override
    public byte[] kemCiphertext() {
        return kemCiphertext.clone();
    }

    public byte[] encode() {
        var out = BinaryWriter.growable(1300).u8(oneTimeKem ? VERSION_ONE_TIME_KEM : VERSION).raw(initiator.encode()).u31(signedPreKeyId).u31(kemPreKeyId);
        out.flag(oneTimePreKeyId.isPresent());
        oneTimePreKeyId.ifPresent(out::u32);
        return out.fixed(ephemeralKey, X25519KeyPair.KEY_LENGTH).fixed(kemCiphertext, MlKemKeyPair.CIPHERTEXT_LENGTH).toByteArray();
    }

    /** @throws CryptoException if malformed, including a KEM ciphertext of the wrong length */
    public static InitialMessage decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "PQXDH initial message", CryptoException::malformed);
        int version = in.u8("version");
        if (version != VERSION && version != VERSION_ONE_TIME_KEM) {
            throw in.malformed("unsupported version " + version);
        }
        var identity = IdentityPublicKey.decode(in.fixed(IdentityPublicKey.ENCODED_LENGTH));
        int spk = in.u31();
        int kpk = in.u31();
        var opk = in.flag() ? OptionalInt.of(in.u31()) : OptionalInt.empty();
        var ephemeral = in.fixed(X25519KeyPair.KEY_LENGTH);
        if (in.remaining() != MlKemKeyPair.CIPHERTEXT_LENGTH) {
            throw in.malformed("KEM ciphertext must be " + MlKemKeyPair.CIPHERTEXT_LENGTH + " bytes");
        }
        var ciphertext = in.rest();
        return new InitialMessage(identity, spk, kpk, version == VERSION_ONE_TIME_KEM, opk, ephemeral, ciphertext);
    }

    /** Byte arrays the responder reads without copying. */
    byte[] ephemeralKeyUnsafe() {
        return ephemeralKey;
    }

    byte[] kemCiphertextUnsafe() {
        return kemCiphertext;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitialMessage other && initiator.equals(other.initiator)
                && signedPreKeyId == other.signedPreKeyId && kemPreKeyId == other.kemPreKeyId && oneTimeKem == other.oneTimeKem
                && oneTimePreKeyId.equals(other.oneTimePreKeyId)
                && Arrays.equals(ephemeralKey, other.ephemeralKey) && Arrays.equals(kemCiphertext, other.kemCiphertext);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ephemeralKey);
    }

    @Override
    public String toString() {
        return "InitialMessage[initiator=" + initiator + ", signedPreKeyId=" + signedPreKeyId + ", kemPreKeyId=" + kemPreKeyId + (oneTimeKem ? " (one-time)" : "")
                + ", oneTimePreKeyId=" + oneTimePreKeyId + "]";
    }
}
