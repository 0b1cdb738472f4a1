package crumbhub.client.home;

import crumbhub.client.ClientException;
import crumbhub.crypto.Aead;
import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The store key file {@code store.key}: the 32-byte key that seals every other file, either
 * as it is (like an SSH key without a passphrase) or wrapped under a passphrase.
 *
 * <pre>
 *   "CHSK" u8 version (= 1) u8 mode
 *   mode 0 (plain):      key[32]
 *   mode 1 (passphrase): u32 iterations, salt[16], nonce[12], AES-256-GCM(kek, nonce, header, key) || tag[16]
 *                        kek = PBKDF2-HMAC-SHA256(passphrase as UTF-8, salt, iterations, 32 bytes)
 *                        header = every byte before the nonce
 * </pre>
 *
 * Pure: no I/O. Unwrapping costs {@code iterations} HMACs (about half a second by default).
 */
public sealed interface KeyFile {
    byte[] MAGIC = {'C', 'H', 'S', 'K'};
    int VERSION = 1;
    int KEY_LENGTH = Aead.KEY_LENGTH;
    int SALT_LENGTH = 16;
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256, as for account passwords (docs/design.md §4). */
    int DEFAULT_ITERATIONS = 600_000;
    /** A file asking for more is refused rather than keeping the CPU busy for minutes. */
    int MAX_ITERATIONS = 100_000_000;
    int MAX_FILE = 128;

    /** The key as it is. */
    record Plain(byte[] key) implements KeyFile {
        public Plain {
            if (key.length != KEY_LENGTH) {
                throw new IllegalArgumentException("store key must be " + KEY_LENGTH + " bytes");
            }
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "KeyFile.Plain[<redacted>]";
        }
    }

    /** The key wrapped under a passphrase. */
    record Wrapped(int iterations, byte[] salt, byte[] nonce, byte[] wrapped) implements KeyFile {
        public Wrapped {
            if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length != SALT_LENGTH
                || nonce.length != Aead.NONCE_LENGTH || wrapped.length != KEY_LENGTH + Aead.TAG_LENGTH) {
                throw new IllegalArgumentException("invalid wrapped store key");
            }
            salt = salt.clone();
            nonce = nonce.clone();
            wrapped = wrapped.clone();
        }

        /** Wraps {@code key} under {@code passphrase} with a fresh salt and nonce. */
        public static Wrapped wrap(byte[] key, char[] passphrase, int iterations, SecureRandom rng) {
            var salt = new byte[SALT_LENGTH];
            var nonce = new byte[Aead.NONCE_LENGTH];
            rng.nextBytes(salt);
            rng.nextBytes(nonce);
            var kek = pbkdf2(passphrase, salt, iterations);
            try {
                return new Wrapped(iterations, salt, nonce, Aead.seal(kek, nonce, header(iterations, salt), key));
            } finally {
                Bytes.zero(kek);
            }
        }

        /** The store key, or a local-store error saying the passphrase is wrong. */
        public byte[] unwrap(char[] passphrase) {
            var kek = pbkdf2(passphrase, salt, iterations);
            try {
                return Aead.open(kek, nonce, header(iterations, salt), wrapped);
            } catch (CryptoException e) {
                throw ClientException.store("wrong passphrase (or a damaged store.key)", e);
            } finally {
                Bytes.zero(kek);
            }
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public byte[] wrapped() {
            return wrapped.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Wrapped w && iterations == w.iterations && Arrays.equals(salt, w.salt)
                   && Arrays.equals(nonce, w.nonce) && Arrays.equals(wrapped, w.wrapped);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(salt);
        }

        @Override
        public String toString() {
            return "KeyFile.Wrapped[iterations=" + iterations + "]";
        }
    }

    default byte[] encode() {
        return switch (this) {
            case Plain p -> {
                var key = p.key();
                try {
                    yield Bytes.concat(MAGIC, new byte[] {VERSION, 0}, key);
                } finally {
                    Bytes.zero(key);
                }
            }
            case Wrapped w -> Bytes.concat(header(w.iterations, w.salt), w.nonce, w.wrapped);
        };
    }

    /** Parses {@code file}, read from {@code name}; a local-store error if it is not a key file. */
    static KeyFile decode(byte[] file, String name) {
        if (file.length < MAGIC.length + 2 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw ClientException.store(name + " is not a CrumbHub store key file");
        }
        if ((file[MAGIC.length] & 0xff) != VERSION) {
            throw ClientException.store(name + " has format version " + (file[MAGIC.length] & 0xff)
                    + ", which this client does not know; use a newer crumbhub-client");
        }
        var b = ByteBuffer.wrap(file, MAGIC.length + 2, file.length - MAGIC.length - 2);
        int mode = file[MAGIC.length + 1] & 0xff;
        try {
            return switch (mode) {
                case 0 -> {
                    if (b.remaining() != KEY_LENGTH) {
                        throw ClientException.store(name + " is damaged (wrong length)");
                    }
                    yield new Plain(Arrays.copyOfRange(file, b.position(), file.length));
                }
                case 1 -> {
                    if (b.remaining() != 4 + SALT_LENGTH + Aead.NONCE_LENGTH + KEY_LENGTH + Aead.TAG_LENGTH) {
                        throw ClientException.store(name + " is damaged (wrong length)");
                    }
                    int iterations = b.getInt();
                    var salt = new byte[SALT_LENGTH];
                    var nonce = new byte[Aead.NONCE_LENGTH];
                    var wrapped = new byte[KEY_LENGTH + Aead.TAG_LENGTH];
                    b.get(salt).get(nonce).get(wrapped);
                    yield new Wrapped(iterations, salt, nonce, wrapped);
                }
                default -> throw ClientException.store(name + " uses unknown protection mode " + mode);
            };
        } catch (IllegalArgumentException e) {
            throw ClientException.store(name + " is damaged (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] header(int iterations, byte[] salt) {
        return Bytes.concat(MAGIC, new byte[] {VERSION, 1}, ByteBuffer.allocate(4).putInt(iterations).array(), salt);
    }

    /**
     * PBKDF2-HMAC-SHA256 to a 32-byte key. {@code crumbhub.crypto.PasswordHash} keeps its
     * derivation for verifying account passwords; a key-encryption key needs the raw output.
     */
    private static byte[] pbkdf2(char[] passphrase, byte[] salt, int iterations) {
        var spec = new PBEKeySpec(passphrase, salt, iterations, KEY_LENGTH * 8);
        try {
            return SecretKeyFactory.getInstance(Algorithms.PBKDF2_SHA256).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 failed", e);
        } finally {
            spec.clearPassword();
        }
    }
}
