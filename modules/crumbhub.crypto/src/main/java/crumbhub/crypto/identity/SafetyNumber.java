package crumbhub.crypto.identity;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The safety number two users compare to rule out a machine in the middle: 60 decimal digits,
 * shown as 12 groups of 5. Modelled on Signal's numeric fingerprint, with SHA-256 in place of
 * SHA-512 (the only hash CrumbHub uses):
 *
 * <ul>
 *   <li>Each user's half commits to the user name and to every device identity of the user
 *       (signing key and X25519 key, 64 bytes each, sorted and de-duplicated so device order does
 *       not matter). The start value is {@code u16 VERSION, str8 user, u16 n, keys...}; then
 *       {@link #ITERATIONS} times {@code h = SHA-256(h || keys)}, as Signal iterates its hash to
 *       make a search for a colliding key cost 5200 hashes per try.</li>
 *   <li>The first 30 bytes of {@code h} become 6 chunks of 5 bytes; each chunk, read as a 40-bit
 *       big-endian number, modulo 100000 gives 5 digits: 30 digits per user (about 99 bits).</li>
 *   <li>The two 30-digit halves are concatenated smaller first, so both users see the same 60
 *       digits whichever side computes.</li>
 * </ul>
 *
 * Any change of a device key, the set of devices or a user name changes the number. Callers pass
 * the canonical (case-folded) user names. Immutable and thread-safe.
 */
public final class SafetyNumber {
    public static final int VERSION = 1;
    public static final int ITERATIONS = 5200;
    public static final int DIGITS = 60;
    private static final int GROUP = 5;
    private static final int HALF_DIGITS = DIGITS / 2;
    /** Device identities per user committed to: far above what a user links, bounds the work. */
    public static final int MAX_DEVICES = 256;

    private final String digits;

    private SafetyNumber(String digits) {
        this.digits = digits;
    }

    /** The safety number between two users, each with one device identity. */
    public static SafetyNumber of(String localUser, IdentityPublicKey local, String remoteUser, IdentityPublicKey remote) {
        return of(localUser, List.of(local), remoteUser, List.of(remote));
    }

    /**
     * The safety number between two users with all their device identities.
     *
     * @throws IllegalArgumentException if a list is empty or holds more than {@link #MAX_DEVICES},
     *     or a user name is empty or longer than 255 UTF-8 bytes
     */
    public static SafetyNumber of(String localUser, List<IdentityPublicKey> localDevices,
                                  String remoteUser, List<IdentityPublicKey> remoteDevices) {
        var a = half(localUser, localDevices);
        var b = half(remoteUser, remoteDevices);
        return new SafetyNumber(a.compareTo(b) <= 0 ? a + b : b + a);
    }

    /**
     * The safety number between two <em>accounts</em> (docs/crypto.md "Safety numbers"): each half
     * commits to the user name and the account identity's encoding only (version 2 start value:
     * {@code u16 2, str8 user, u16 1, key}, then the same iterated hash and digits as above), so
     * devices that come and go never change it.
     */
    public static SafetyNumber ofAccounts(String localUser, byte[] localAccount, String remoteUser, byte[] remoteAccount) {
        var a = half(ACCOUNT_VERSION, localUser, java.util.List.of(localAccount));
        var b = half(ACCOUNT_VERSION, remoteUser, java.util.List.of(remoteAccount));
        return new SafetyNumber(a.compareTo(b) <= 0 ? a + b : b + a);
    }

    /** The start value's version for {@link #ofAccounts}. */
    public static final int ACCOUNT_VERSION = 2;

    /** The 60 digits, no separators. */
    public String digits() {
        return digits;
    }

    /** Three lines of four 5-digit groups, for reading aloud or comparing on screen. */
    public String displayText() {
        var out = new StringBuilder();
        for (int g = 0; g < DIGITS / GROUP; g++) {
            if (g > 0) {
                out.append(g % 4 == 0 ? '\n' : ' ');
            }
            out.append(digits, g * GROUP, (g + 1) * GROUP);
        }
        return out.toString();
    }

    /**
     * Whether {@code typed} (as a user copied it: any whitespace between digits is ignored) is this
     * safety number. Compared in constant time over the digits.
     */
    public boolean matches(String typed) {
        var compact = typed.replaceAll("\\s+", "");
        return MessageDigest.isEqual(compact.getBytes(StandardCharsets.US_ASCII), digits.getBytes(StandardCharsets.US_ASCII));
    }

    /** The 12 groups separated by single spaces. */
    @Override
    public String toString() {
        return displayText().replace('\n', ' ');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetyNumber other && digits.equals(other.digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    private static String half(String user, List<IdentityPublicKey> devices) {
        if (devices.isEmpty() || devices.size() > MAX_DEVICES) {
            throw new IllegalArgumentException("a safety number needs 1.." + MAX_DEVICES + " device identities");
        }
        var keys = new java.util.ArrayList<byte[]>();
        for (var d : devices) {
            keys.add(d.keyBytes());
        }
        return half(VERSION, user, keys);
    }

    private static String half(int version, String user, List<byte[]> keyList) {
        if (user.isEmpty() || user.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("user name must be 1..255 UTF-8 bytes");
        }
        var sorted = new TreeSet<byte[]>(Arrays::compareUnsigned);
        sorted.addAll(keyList);
        var keys = BinaryWriter.growable(64 * sorted.size());
        sorted.forEach(keys::raw);
        var keyBytes = keys.toByteArray();
        var start = BinaryWriter.growable(64 + keyBytes.length).u16(version).str8(user).u16(sorted.size()).raw(keyBytes).toByteArray();

        var sha = sha256();
        var h = start;
        for (int i = 0; i < ITERATIONS; i++) {
            sha.update(h);
            sha.update(keyBytes);
            h = sha.digest();
        }
        var out = new StringBuilder(HALF_DIGITS);
        for (int chunk = 0; chunk < HALF_DIGITS / GROUP; chunk++) {
            long v = 0;
            for (int i = 0; i < 5; i++) {
                v = (v << 8) | (h[chunk * 5 + i] & 0xffL);
            }
            out.append(String.format(Locale.ROOT, "%05d", v % 100_000));
        }
        return out.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(Algorithms.SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.SHA256, e);
        }
    }
}
