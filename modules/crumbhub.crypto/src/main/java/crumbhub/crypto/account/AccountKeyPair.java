package crumbhub.crypto.account;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * An account identity with its private keys (docs/crypto.md "Account identity"): Ed25519 and
 * ML-DSA-65, made at {@code register}, held by every approved device and, encrypted under the
 * recovery code, by the server ({@link RecoveryEscrow}). Not thread-safe; {@link #close()}
 * zeroes what the JDK lets us zero (the Ed25519 seed and the encoded ML-DSA key copies).
 *
 * <p>Private encoding, version 1: {@code u8 1, u32 epoch, bytes8 ed25519Seed[32],
 * bytes16 mlDsaPrivate (PKCS#8), bytes16 mlDsaPublic (X.509)}. Secret.
 */
public final class AccountKeyPair implements AutoCloseable {
    public static final int VERSION = 1;
    /** The epoch of an account's first identity. */
    public static final int FIRST_EPOCH = 1;
    /** An ML-DSA-65 private key in PKCS#8 form is 4,060 bytes in JDK 25 (seed and expanded key). */
    private static final int MAX_ML_DSA_PRIVATE = 4_200;

    private final int epoch;
    private final Ed25519KeyPair ed25519;
    private final PrivateKey mlDsa;
    private final AccountPublicKey publicKey;

    private AccountKeyPair(int epoch, Ed25519KeyPair ed25519, PrivateKey mlDsa, java.security.PublicKey mlDsaPublic) {
        this.epoch = epoch;
        this.ed25519 = ed25519;
        this.mlDsa = mlDsa;
        this.publicKey = AccountPublicKey.of(epoch, ed25519.publicKey(), mlDsaPublic);
    }

    /** A new identity of {@code epoch} ({@link #FIRST_EPOCH} for a new account), keys drawn from {@code rng}. */
    public static AccountKeyPair generate(int epoch, SecureRandom rng) {
        try {
            var gen = KeyPairGenerator.getInstance(Algorithms.ML_DSA_65);
            gen.initialize(NamedParameterSpec.ML_DSA_65, rng);
            KeyPair ml = gen.generateKeyPair();
            return new AccountKeyPair(epoch, Ed25519KeyPair.generate(rng), ml.getPrivate(), ml.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.ML_DSA_65, e);
        }
    }

    public AccountPublicKey publicKey() {
        return publicKey;
    }

    public int epoch() {
        return epoch;
    }

    /** Signs {@code message} with both keys; ML-DSA's hedged signing draws from {@code rng}. */
    public AccountSignature sign(byte[] message, SecureRandom rng) {
        try {
            var signer = Signature.getInstance(Algorithms.ML_DSA);
            signer.initSign(mlDsa, rng);
            signer.update(message);
            return new AccountSignature(ed25519.sign(message), signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-DSA signing failed", e);
        }
    }

    /** The private encoding (a fresh array the caller zeroes). */
    public byte[] encodePrivate() {
        byte[] seed = ed25519.privateKey();
        byte[] ml = mlDsa.getEncoded();
        try {
            return BinaryWriter.growable(64 + ml.length + 2_000).u8(VERSION).u32(epoch).bytes8(seed).bytes16(ml)
                    .bytes16(publicMlDsa()).toByteArray();
        } finally {
            Bytes.zero(seed, ml);
        }
    }

    private byte[] publicMlDsa() {
        try {
            var in = BinaryReader.of(publicKey.encode(), "account public key", CryptoException::malformed);
            in.u8();
            in.u32();
            in.bytes8(Ed25519KeyPair.PUBLIC_KEY_LENGTH);
            return in.bytes16(AccountPublicKey.MAX_ML_DSA_PUBLIC);
        } catch (CryptoException e) {
            throw new IllegalStateException("own public key does not re-read", e);
        }
    }

    /**
     * Reads a private encoding.
     *
     * @throws CryptoException if it is malformed or a key does not decode
     */
    public static AccountKeyPair decodePrivate(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "account private key", CryptoException::malformed);
        in.version(VERSION);
        int epoch = in.u32();
        byte[] seed = in.bytes8(Ed25519KeyPair.PRIVATE_KEY_LENGTH);
        byte[] ml = in.bytes16(MAX_ML_DSA_PRIVATE);
        byte[] mlPublic = in.bytes16(AccountPublicKey.MAX_ML_DSA_PUBLIC);
        in.end();
        try {
            if (seed.length != Ed25519KeyPair.PRIVATE_KEY_LENGTH) {
                throw new CryptoException("account private key: Ed25519 seed of " + seed.length + " bytes");
            }
            var factory = KeyFactory.getInstance(Algorithms.ML_DSA);
            PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(ml));
            var pub = factory.generatePublic(new X509EncodedKeySpec(mlPublic));
            return new AccountKeyPair(epoch, Ed25519KeyPair.fromPrivate(seed), priv, pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CryptoException("account private key: ML-DSA key does not decode", e);
        } finally {
            Bytes.zero(seed, ml);
        }
    }

    @Override
    public void close() {
        ed25519.close();
    }

    @Override
    public String toString() {
        return "AccountKeyPair[" + publicKey + ", private=<redacted>]";
    }
}
