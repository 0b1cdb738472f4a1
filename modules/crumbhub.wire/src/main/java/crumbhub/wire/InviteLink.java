package crumbhub.wire;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * An invite link (docs/protocol.md "Invite links"): a server's address, an invite code and the SHA-256 of the
 * server's static key, in one word a user can paste into a shell or an email.
 *
 * <pre>
 *   crumbhub://PAYLOAD
 *   PAYLOAD = base32 (Crockford's digits, lower case, no padding) of
 *     u8 version (=1) | str8 host | u16 port | str8 code | 32 bytes key digest | 4 bytes check
 *   check   = the first 4 bytes of SHA-256(CHECK_LABEL | every byte before it)
 * </pre>
 *
 * The payload's alphabet is {@code 0-9a-z} without {@code i l o u}: no shell metacharacter, no
 * hyphen or space a mail client breaks a line at, nothing a quoted-printable encoder rewrites.
 * {@link #parse} ignores whitespace and the {@code <}, {@code >} a mail client adds around or
 * inside a wrapped link, accepts upper case, and reads {@code i l} as 1 and {@code o} as 0 as
 * Crockford's alphabet prescribes. The check catches a typo or a lost piece; it is not a MAC: the
 * link itself is what the user trusts, as with a fingerprint read out on the phone.
 *
 * <p>Stateless codec; instances are immutable and thread-safe.
 *
 * @param host      as a client connects to it: a DNS name or an IP address (IPv6 without brackets)
 * @param port      1..65535
 * @param code      the invite code
 * @param keyDigest SHA-256 of the server's static public key (the bytes of its fingerprint)
 */
public record InviteLink(String host, int port, String code, byte[] keyDigest) {
    public static final String SCHEME = "crumbhub://";
    static final int VERSION = 1;
    static final int DIGEST_LENGTH = 32;
    static final int CHECK_LENGTH = 4;
    static final int MAX_HOST = 253;
    /** Longest text {@link #parse} reads: the longest link plus room for a mail client's line breaks. */
    static final int MAX_TEXT = 4096;
    private static final byte[] CHECK_LABEL = "CrumbHub invite link".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String DIGITS = "0123456789abcdefghjkmnpqrstvwxyz";

    public InviteLink {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(code, "code");
        if (!validHost(host)) {
            throw new IllegalArgumentException("not a host name or address: '" + SafeText.escapeLine(host) + "'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!validCode(code)) {
            throw new IllegalArgumentException("an invite code is 1 to " + Limits.INVITE + " letters, digits, '-' or '_'");
        }
        if (keyDigest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("the key digest is " + DIGEST_LENGTH + " bytes");
        }
        keyDigest = keyDigest.clone();
    }

    @Override
    public byte[] keyDigest() {
        return keyDigest.clone();
    }

    /** {@code host:port}, or {@code [v6]:port}, as a client's HOST:PORT argument. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The link, {@code crumbhub://} and the payload, with no whitespace. */
    public String text() {
        byte[] body = BinaryWriter.growable(96).u8(VERSION).str8(host).u16(port).str8(code).raw(keyDigest).toByteArray();
        byte[] all = Bytes.concat(body, check(body));
        return SCHEME + encode(all);
    }

    /**
     * Reads a link as a user pasted it.
     *
     * @throws InvalidLinkException with one sentence: not a link, a character no link holds, a
     *                              damaged or altered link (the check does not match), or
     *                              fields that do not parse
     */
    public static InviteLink parse(String pasted) throws InvalidLinkException {
        if (pasted.length() > MAX_TEXT) {
            throw new InvalidLinkException("that is not an invite link: it is far too long");
        }
        var compact = new StringBuilder(pasted.length());
        for (int i = 0; i < pasted.length(); i++) {
            char c = pasted.charAt(i);
            if (!Character.isWhitespace(c) && c != '<' && c != '>') {
                compact.append(c);
            }
        }
        String text = compact.toString();
        if (!text.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidLinkException("that is not an invite link: it must start with " + SCHEME);
        }
        byte[] all = decode(text.substring(SCHEME.length()));
        if (all.length < 1 + CHECK_LENGTH) {
            throw new InvalidLinkException("the invite link is too short: copy the whole link again");
        }
        byte[] body = Arrays.copyOf(all, all.length - CHECK_LENGTH);
        byte[] check = Arrays.copyOfRange(all, body.length, all.length);
        if (!MessageDigest.isEqual(check, check(body))) {
            throw new InvalidLinkException("the invite link is damaged or was altered (its checksum does not match):"
                    + " copy the whole link again, or ask for a new one");
        }
        BinaryReader<InvalidLinkException> in = BinaryReader.of(body, "invite link",
                (what, detail) -> new InvalidLinkException("the " + what + " does not parse (" + detail + ")"));
        int version = in.u8("version");
        if (version != VERSION) {
            throw new InvalidLinkException("the invite link is of version " + version
                    + ", which this client does not know: update crumbhub-client");
        }
        String host = in.str8(MAX_HOST, "host");
        int port = in.u16("port");
        String code = in.str8(Limits.INVITE, "code");
        byte[] digest = in.fixed(DIGEST_LENGTH, "key digest");
        in.end();
        if (!validHost(host) || port < 1 || !validCode(code)) {
            throw new InvalidLinkException("the invite link holds an invalid address or code");
        }
        return new InviteLink(host, port, code, digest);
    }

    /** Whether a link can carry {@code host}: ASCII letters, digits, '.', '-', '_' and ':' (IPv6), 1..253 of them. */
    public static boolean validHost(String host) {
        return !host.isEmpty() && host.length() <= MAX_HOST
                && host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-'
                        || c == '_' || c == ':'));
    }

    private static boolean validCode(String code) {
        return !code.isEmpty() && code.length() <= Limits.INVITE
                && code.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
    }

    private static byte[] check(byte[] body) {
        try {
            var sha = MessageDigest.getInstance(Algorithms.SHA256);
            sha.update(CHECK_LABEL);
            return Arrays.copyOf(sha.digest(body), CHECK_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.SHA256, e);
        }
    }

    /** Base32, most significant bit first, the last digit padded with zero bits. */
    static String encode(byte[] data) {
        var out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(DIGITS.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(DIGITS.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** The inverse of {@link #encode}; padding bits that are not zero make the text invalid. */
    static byte[] decode(String text) throws InvalidLinkException {
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = digit(text.charAt(i));
            if (v < 0) {
                throw new InvalidLinkException("the invite link holds a character no link has (at position "
                        + (SCHEME.length() + i + 1) + "): copy the whole link again");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new InvalidLinkException("the invite link is damaged (it has a character too many or too few):"
                    + " copy the whole link again");
        }
        return out;
    }

    private static int digit(char c) {
        char d = Character.toLowerCase(c);
        return switch (d) {
            case 'o' -> 0;
            case 'i', 'l' -> 1;
            default -> d < 128 ? DIGITS.indexOf(d) : -1;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InviteLink l && host.equals(l.host) && port == l.port && code.equals(l.code)
                && Arrays.equals(keyDigest, l.keyDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, code, Arrays.hashCode(keyDigest));
    }

    /** The link's text carries an invite code, which is a secret until used: never logged whole. */
    @Override
    public String toString() {
        return "InviteLink[" + address() + "]";
    }
}
