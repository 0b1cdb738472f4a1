package crumbhub.server.core;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys the server derives from its static private key for its own bookkeeping (docs/server.md
 * "Derived keys"), each with HKDF-SHA256 and its own label, so none of them reveals the server key
 * or another derived key, and each is the same after a restart or a restore of that key:
 * {@link #LOG_PSEUDONYMS} keys the user ids in logs, {@link #BACKUP_MAC} signs backups. Stateless.
 */
public final class ServerSecrets {
    /** Keys the pseudonyms that name users in log lines. */
    public static final String LOG_PSEUDONYMS = "crumbhub-server log pseudonyms v1";
    /** Keys the HMAC-SHA256 over a backup's files. */
    public static final String BACKUP_MAC = "crumbhub-server backup mac v1";
    /** Bytes of each derived key. */
    public static final int KEY_LENGTH = 32;

    private ServerSecrets() {}

    /** The key for {@code label} derived from {@code serverPrivate}; the caller zeroes it. */
    public static byte[] derive(byte[] serverPrivate, String label) {
        return Hkdf.derive(null, serverPrivate, label.getBytes(StandardCharsets.UTF_8), KEY_LENGTH);
    }

    /** A fresh HMAC-SHA256 keyed with {@code key} (copied; the caller may zero its array). */
    public static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(Algorithms.HMAC_SHA256);
            mac.init(new SecretKeySpec(key, Algorithms.HMAC_SHA256));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.HMAC_SHA256, e);
        }
    }

    /** Constant-time comparison of two MACs. */
    public static boolean sameMac(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /**
     * The user ids of log lines: 12 hex digits of HMAC-SHA256 over the user name under a key
     * derived from the server key. Stable for one server, so its lines about one account can be
     * grouped; without the server key nobody can test a list of names against them. Thread-safe.
     */
    public static final class Pseudonyms {
        private final byte[] key;

        public Pseudonyms(byte[] key) {
            this.key = Arrays.copyOf(key, key.length);
        }

        /** The pseudonym of {@code user}. */
        public String of(String user) {
            byte[] d = hmac(key).doFinal(("crumbhub-user:" + user).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        }

        @Override
        public String toString() {
            return "Pseudonyms[<redacted>]";
        }
    }
}
