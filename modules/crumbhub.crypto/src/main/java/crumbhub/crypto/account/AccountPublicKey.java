package crumbhub.crypto.account;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * The public half of an account identity: an Ed25519 key and an ML-DSA-65 key, and the
 * {@code epoch} of this identity. A signature by the account is valid only if <em>both</em>
 * signatures verify, so it holds while either algorithm holds. The epoch is part of everything
 * the account signs: a deliberate rotation makes a new key pair with a higher epoch, and
 * certificates of the old epoch no longer verify under the new key. Immutable, thread-safe;
 * equality is by encoding.
 *
 * <p>Encoding, version 1: {@code u8 1, u32 epoch, bytes8 ed25519[32], bytes16 mlDsa (X.509)}.
 */
public final class AccountPublicKey {
    public static final int VERSION = 1;
    /** An ML-DSA-65 public key in X.509 form is 1,974 bytes; the bound leaves room. */
    static final int MAX_ML_DSA_PUBLIC = 2_100;
    /** The largest encoding: what a wire field for it must hold. */
    public static final int MAX_ENCODED_LENGTH = 1 + 4 + 1 + Ed25519KeyPair.PUBLIC_KEY_LENGTH + 2 + MAX_ML_DSA_PUBLIC;

    private final int epoch;
    private final byte[] ed25519;
    private final byte[] mlDsa;
    private final PublicKey mlDsaKey;

    private AccountPublicKey(int epoch, byte[] ed25519, byte[] mlDsa, PublicKey mlDsaKey) {
        this.epoch = epoch;
        this.ed25519 = ed25519.clone();
        this.mlDsa = mlDsa.clone();
        this.mlDsaKey = mlDsaKey;
    }

    static AccountPublicKey of(int epoch, byte[] ed25519, PublicKey mlDsa) {
        return new AccountPublicKey(epoch, ed25519, mlDsa.getEncoded(), mlDsa);
    }

    /**
     * Parses a version-1 encoding; the ML-DSA key must decode.
     *
     * @throws CryptoException if it is malformed
     */
    public static AccountPublicKey decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "account public key", CryptoException::malformed);
        in.version(VERSION);
        int epoch = in.u32();
        byte[] ed = in.bytes8(Ed25519KeyPair.PUBLIC_KEY_LENGTH);
        byte[] ml = in.bytes16(MAX_ML_DSA_PUBLIC);
        in.end();
        if (ed.length != Ed25519KeyPair.PUBLIC_KEY_LENGTH) {
            throw new CryptoException("account public key: Ed25519 key of " + ed.length + " bytes");
        }
        try {
            PublicKey key = KeyFactory.getInstance(Algorithms.ML_DSA).generatePublic(new X509EncodedKeySpec(ml));
            if (!key.getAlgorithm().startsWith(Algorithms.ML_DSA) || !Arrays.equals(key.getEncoded(), ml)) {
                throw new CryptoException("account public key: not an ML-DSA-65 key");
            }
            return new AccountPublicKey(epoch, ed, ml, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CryptoException("account public key: ML-DSA key does not decode", e);
        }
    }

    /** The version-1 encoding (a fresh array). */
    public byte[] encode() {
        return BinaryWriter.growable(32 + mlDsa.length).u8(VERSION).u32(epoch).bytes8(ed25519).bytes16(mlDsa)
                .toByteArray();
    }

    /** The epoch: 1 for an account's first identity, higher after each deliberate rotation. */
    public int epoch() {
        return epoch;
    }

    /**
     * Whether {@code signature} is the account's signature of {@code message}: both halves must
     * verify. Malformed input gives false, never an exception.
     */
    public boolean verify(byte[] message, AccountSignature signature) {
        if (!Ed25519KeyPair.verify(ed25519, message, signature.ed25519())) {
            return false;
        }
        try {
            var verifier = Signature.getInstance(Algorithms.ML_DSA);
            verifier.initVerify(mlDsaKey);
            verifier.update(message);
            return verifier.verify(signature.mlDsa());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the provider reports a malformed signature as an exception: it is simply invalid
            return false;
        }
    }

    /** SHA-256 of the encoding, in groups of 4 hex digits: what warnings show to tell identities apart. */
    public String fingerprint() {
        return Fingerprint.of(encode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountPublicKey k && epoch == k.epoch && Arrays.equals(ed25519, k.ed25519)
                && Arrays.equals(mlDsa, k.mlDsa);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ed25519) + epoch;
    }

    @Override
    public String toString() {
        return "AccountPublicKey[epoch=" + epoch + ", " + fingerprint().substring(0, 19) + "]";
    }
}
