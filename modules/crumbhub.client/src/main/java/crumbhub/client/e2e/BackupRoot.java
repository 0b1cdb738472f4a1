package crumbhub.client.e2e;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Hkdf;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The root key of the account's history backup (docs/crypto.md "History backup"), derived from
 * the account key material that every approved device holds (it arrives with the approval, or from
 * the recovery escrow): {@code HKDF-SHA256(salt = "CrumbHub history backup v1", ikm = the account's
 * Ed25519 seed, info = SHA-256(account public key) ‖ str8 user)}, 32 bytes. The server never holds
 * the seed, so it can neither compute this key nor make a device use one it chose.
 *
 * @param user      the account
 * @param accountId SHA-256 of the encoded account public key: binds the key and every batch to this identity
 * @param key       the root key; {@link #close} zeroes it
 */
public record BackupRoot(String user, byte[] accountId, byte[] key) implements AutoCloseable {
    static final byte[] SALT = "CrumbHub history backup v1".getBytes(StandardCharsets.US_ASCII);

    /** The root of the account whose private key encoding ({@code AccountKeyPair} v1) is {@code privateKey}. */
    static Optional<BackupRoot> of(String user, byte[] accountPublic, byte[] privateKey) {
        byte[] seed = null;
        try {
            var in = BinaryReader.of(privateKey, "account private key", CryptoException::malformed);
            if (in.u8() != 1) {
                return Optional.empty();
            }
            in.u32();
            seed = in.bytes8(32);
            byte[] id = sha256(accountPublic);
            byte[] info = BinaryWriter.growable(80).fixed(id, id.length).str8(user).toByteArray();
            return Optional.of(new BackupRoot(user, id, Hkdf.derive(SALT, seed, info, 32)));
        } catch (CryptoException e) {
            return Optional.empty();
        } finally {
            if (seed != null) {
                Bytes.zero(seed);
            }
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public void close() {
        Bytes.zero(key);
    }

    @Override
    public String toString() {
        return "BackupRoot[" + user + ", key=<redacted>]";
    }
}
