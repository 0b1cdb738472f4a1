package crumbhub.crypto.pqxdh;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;

/**
 * The encodings PQXDH signs and hashes (spec section 2.4/2.5, EncodeEC and EncodeKEM: a type byte,
 * then the key) and the message an identity key signs for a prekey. Stateless.
 */
final class PreKeys {
    /** EncodeEC type byte for curve25519 keys. */
    static final int TYPE_X25519 = 0x01;
    /** EncodeKEM type byte for ML-KEM-768 keys. */
    static final int TYPE_ML_KEM_768 = 0x02;
    /** Domain separation: nothing else an identity key signs starts with this label. */
    private static final byte[] SIGNATURE_LABEL = "CrumbHub PQXDH prekey v1".getBytes(StandardCharsets.US_ASCII);
    /**
     * Domain separation for one-time ML-KEM prekeys (docs/crypto.md "PQXDH"): a last-resort
     * prekey's signature never verifies as a one-time one's, nor the reverse, so a server cannot
     * pass the reusable key off as a one-time key.
     */
    private static final byte[] ONE_TIME_KEM_LABEL = "CrumbHub PQXDH one-time pqkem prekey v1".getBytes(StandardCharsets.US_ASCII);

    private PreKeys() {}

    static byte[] encodeEc(byte[] x25519Public) {
        return BinaryWriter.growable(1 + X25519KeyPair.KEY_LENGTH).u8(TYPE_X25519).fixed(x25519Public, X25519KeyPair.KEY_LENGTH).toByteArray();
    }

    static byte[] encodeKem(byte[] mlKemPublic) {
        return BinaryWriter.growable(1 + MlKemKeyPair.PUBLIC_KEY_LENGTH).u8(TYPE_ML_KEM_768)
                .fixed(mlKemPublic, MlKemKeyPair.PUBLIC_KEY_LENGTH).toByteArray();
    }

    /** What the identity key signs: {@code label, u32 id, EncodeEC/EncodeKEM(key)}. */
    static byte[] signedMessage(int id, byte[] encodedKey) {
        return signedMessage(SIGNATURE_LABEL, id, encodedKey);
    }

    /** What the identity key signs for a one-time ML-KEM prekey: {@code oneTimeLabel, u32 id, EncodeKEM(key)}. */
    static byte[] oneTimeKemMessage(int id, byte[] mlKemPublic) {
        return signedMessage(ONE_TIME_KEM_LABEL, id, encodeKem(mlKemPublic));
    }

    private static byte[] signedMessage(byte[] label, int id, byte[] encodedKey) {
        return BinaryWriter.growable(label.length + 4 + encodedKey.length).raw(label).u31(id).raw(encodedKey).toByteArray();
    }

    static void requireId(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("prekey ids are 0.." + Integer.MAX_VALUE + ", got " + id);
        }
    }
}
