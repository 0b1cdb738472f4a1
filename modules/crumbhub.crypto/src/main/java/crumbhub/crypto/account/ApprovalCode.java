package crumbhub.crypto.account;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The short code a pending device shows and its owner types on an approved device
 * (docs/crypto.md "Approving a device"): 16 characters of Crockford base32 (80 bits) of
 * {@code SHA-256("CrumbHub approval code v1", str8 user, u32 deviceId, bytes16 deviceIdentity)}.
 * The approving device computes it from the identity the server lists for that device; a server
 * that swapped the identity would need a second preimage of 80 bits to make the codes match.
 */
public final class ApprovalCode {
    private static final byte[] LABEL = "CrumbHub approval code v1".getBytes(StandardCharsets.US_ASCII);
    static final int CHARS = 16;

    private ApprovalCode() {}

    /** The code, as {@code XXXX-XXXX-XXXX-XXXX}. */
    public static String of(String user, int deviceId, byte[] deviceIdentity) {
        try {
            byte[] h = MessageDigest.getInstance(Algorithms.SHA256).digest(BinaryWriter.growable(256).raw(LABEL)
                    .str8(user).u32(deviceId).bytes16(deviceIdentity).toByteArray());
            return Base32.grouped(Base32.encode(h, CHARS), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code typed} is the code of that device; case, spaces and dashes are ignored, and
     * the letters Crockford base32 leaves out are read as the digits they look like. Constant time.
     */
    public static boolean matches(String typed, String user, int deviceId, byte[] deviceIdentity) {
        byte[] want = Base32.normalize(of(user, deviceId, deviceIdentity)).getBytes(StandardCharsets.US_ASCII);
        byte[] got = Base32.normalize(typed.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(want, got);
    }
}
