package crumbhub.client.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one flat JSON object (string, integer and boolean members) on one line, RFC 8259.
 * Strings are escaped by {@link #quote}: quote, backslash and every control character are
 * escaped, so a value can never break the line; other characters, including those outside
 * the BMP, are left as they are and written as UTF-8 by the output stream.
 */
public final class Json {
    private final List<String> members = new ArrayList<>();

    public Json put(String name, String value) {
        members.add(quote(name) + ":" + quote(value));
        return this;
    }

    public Json put(String name, long value) {
        members.add(quote(name) + ":" + value);
        return this;
    }

    public Json put(String name, boolean value) {
        members.add(quote(name) + ":" + value);
        return this;
    }

    /** The object, without a line terminator. */
    @Override
    public String toString() {
        return "{" + String.join(",", members) + "}";
    }

    /**
     * A JSON string literal for {@code s}. Also escaped, though JSON allows them raw: DEL,
     * U+2028/U+2029 (line breaks to JavaScript) and unpaired surrogates (not encodable in
     * UTF-8; the escape keeps the output valid JSON).
     */
    public static String quote(String s) {
        var b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(b, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                               && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(b, c);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static void unicodeEscape(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        b.append("0".repeat(4 - hex.length())).append(hex);
    }
}
