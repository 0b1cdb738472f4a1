package crumbhub.server.core;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.PasswordHash;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * How the server turns a password's bytes into the hash it stores, and back (docs/server.md
 * "Passwords"). A password enters PBKDF2 as its strict UTF-8 bytes (docs/crypto.md "Password
 * hashes"): the bytes are decoded to chars (invalid UTF-8 is refused) and the JDK's PBKDF2 encodes
 * them back to the same bytes.
 *
 * <p>Stored form: {@code utf8:pbkdf2-sha256$…} for hashes of the UTF-8 bytes. A bare
 * {@code pbkdf2-sha256$…} is a <em>legacy</em> record of servers before this format, which widened
 * each byte to one char (ISO-8859-1), so a non-ASCII password entered PBKDF2 double-encoded. A
 * legacy record is checked the old way and replaced by a {@code utf8:} hash at the next successful
 * login. Stateless; hashing methods cost one PBKDF2 each (hash workers only).
 */
final class Passwords {
    /** Marks a hash of the password's UTF-8 bytes; without it a record is legacy. */
    static final String UTF8 = "utf8:";

    private Passwords() {}

    /** A stored password hash and whether it was made the legacy way. */
    record Stored(PasswordHash hash, boolean legacy) {}

    /** Parses a stored record, either form. */
    static Stored decode(String stored) throws CryptoException {
        boolean legacy = !stored.startsWith(UTF8);
        return new Stored(PasswordHash.decode(legacy ? stored : stored.substring(UTF8.length())), legacy);
    }

    /** The stored form of a new hash of {@code password}, which must be {@link #utf8} chars. */
    static String create(char[] password, SecureRandom random, int iterations) {
        return UTF8 + PasswordHash.create(password, random, iterations).encode();
    }

    /** Whether {@code password} matches {@code stored}, derived the way the record was made. */
    static boolean verify(Stored stored, byte[] password) {
        char[] chars = stored.legacy() ? widened(password) : utf8(password);
        try {
            return chars != null && stored.hash().verify(chars);
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    /** The chars of strict UTF-8 {@code password}, or null if it is not valid UTF-8. The caller zeroes them. */
    static char[] utf8(byte[] password) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(password.length);
        var result = decoder.decode(ByteBuffer.wrap(password), out, true);
        if (result.isError() || decoder.flush(out).isError()) {
            Arrays.fill(out.array(), '\0');
            return null;
        }
        char[] chars = Arrays.copyOf(out.array(), out.position());
        Arrays.fill(out.array(), '\0');
        return chars;
    }

    /** Whether {@code password} is strict UTF-8. */
    static boolean isUtf8(byte[] password) {
        char[] chars = utf8(password);
        if (chars == null) {
            return false;
        }
        Arrays.fill(chars, '\0');
        return true;
    }

    /** Characters (Unicode code points) of a valid UTF-8 password, for the minimum length. */
    static int length(byte[] utf8Password) {
        int n = 0;
        for (byte b : utf8Password) {
            if ((b & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    /** The legacy derivation: each byte one char. */
    private static char[] widened(byte[] password) {
        char[] out = new char[password.length];
        for (int i = 0; i < password.length; i++) {
            out[i] = (char) (password[i] & 0xFF);
        }
        return out;
    }
}
