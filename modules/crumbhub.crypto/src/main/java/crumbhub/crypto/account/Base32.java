package crumbhub.crypto.account;

import java.util.Locale;

/** Crockford base32 for codes people type: no I, L, O, U; groups separated by dashes. */
final class Base32 {
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private Base32() {}

    /** The first {@code chars} characters of {@code bytes} in base32 (5 bits each, most significant first). */
    static String encode(byte[] bytes, int chars) {
        if (chars * 5 > bytes.length * 8) {
            throw new IllegalArgumentException("not enough bytes for " + chars + " characters");
        }
        var out = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            int bit = i * 5;
            int v = ((bytes[bit / 8] & 0xFF) << 8) | (bit / 8 + 1 < bytes.length ? bytes[bit / 8 + 1] & 0xFF : 0);
            out.append(ALPHABET.charAt((v >>> (11 - bit % 8)) & 0x1F));
        }
        return out.toString();
    }

    static String grouped(String s, int group) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); i += group) {
            if (i > 0) {
                out.append('-');
            }
            out.append(s, i, Math.min(s.length(), i + group));
        }
        return out.toString();
    }

    /** Upper case, without spaces and dashes, with I/L read as 1 and O as 0. */
    static String normalize(String typed) {
        var out = new StringBuilder(typed.length());
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case ' ', '-', '\t' -> { }
                case 'I', 'L' -> out.append('1');
                case 'O' -> out.append('0');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
