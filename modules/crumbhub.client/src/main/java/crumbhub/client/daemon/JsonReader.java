package crumbhub.client.daemon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for one request line: objects, arrays, strings, numbers,
 * {@code true}, {@code false}, {@code null}. Strict means: no trailing commas, comments, single
 * quotes, leading zeros, raw control characters, invalid escapes, unpaired surrogates, duplicate
 * member names, or text after the value; nesting is bounded. Pure; the caller bounds the input
 * length.
 *
 * <p>Values: {@link Map} (insertion order), {@link List}, {@link String}, {@link Number} (the
 * literal, as written), {@link Boolean}, and {@link #NULL}.
 */
public final class JsonReader {
    /** Deepest nesting accepted: requests are flat, so this only stops hostile input early. */
    public static final int MAX_DEPTH = 16;

    /** JSON {@code null} (Java null is not stored in the maps). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number, kept as its literal so that an {@code id} is echoed exactly as it was sent. */
    public record Number(String literal) {
        /** The value if it is a whole number that fits a long, else empty. */
        public java.util.OptionalLong asLong() {
            if (!literal.matches("-?(0|[1-9][0-9]{0,18})")) {
                return java.util.OptionalLong.empty();
            }
            try {
                return java.util.OptionalLong.of(Long.parseLong(literal));
            } catch (NumberFormatException e) {
                return java.util.OptionalLong.empty();
            }
        }
    }

    /** Not JSON, with where and why. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message, int at) {
            super(message + " at character " + (at + 1));
        }
    }

    private final String s;
    private int i;

    private JsonReader(String s) {
        this.s = s;
    }

    /** Parses {@code text}, which must hold exactly one JSON value (whitespace around it is allowed). */
    public static Object parse(String text) throws JsonException {
        var r = new JsonReader(text);
        r.ws();
        Object v = r.value(0);
        r.ws();
        if (r.i != r.s.length()) {
            throw new JsonException("unexpected text after the value", r.i);
        }
        return v;
    }

    private Object value(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw new JsonException("nested deeper than " + MAX_DEPTH, i);
        }
        if (i >= s.length()) {
            throw new JsonException("unexpected end", i);
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new JsonException("unexpected character '" + printable(c) + "'", i);
            }
        };
    }

    private Map<String, Object> object(int depth) throws JsonException {
        i++; // {
        var m = new LinkedHashMap<String, Object>();
        ws();
        if (peek() == '}') {
            i++;
            return Collections.unmodifiableMap(m);
        }
        for (;;) {
            ws();
            if (peek() != '"') {
                throw new JsonException("expected a member name in double quotes", i);
            }
            int at = i;
            String name = string();
            ws();
            expect(':');
            ws();
            Object v = value(depth + 1);
            if (m.putIfAbsent(name, v) != null) {
                throw new JsonException("duplicate member \"" + name + "\"", at);
            }
            ws();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(m);
            }
            if (c != ',') {
                throw new JsonException("expected ',' or '}'", i - 1);
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        i++; // [
        var list = new ArrayList<Object>();
        ws();
        if (peek() == ']') {
            i++;
            return Collections.unmodifiableList(list);
        }
        for (;;) {
            ws();
            list.add(value(depth + 1));
            ws();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw new JsonException("expected ',' or ']'", i - 1);
            }
        }
    }

    private String string() throws JsonException {
        i++; // opening quote
        var b = new StringBuilder();
        for (;;) {
            if (i >= s.length()) {
                throw new JsonException("unterminated string", i);
            }
            char c = s.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw new JsonException("raw control character in a string (escape it)", i - 1);
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw new JsonException("invalid escape \\" + printable(e), i - 2);
            }
        }
        String out = b.toString();
        for (int k = 0; k < out.length(); k++) {
            char c = out.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < out.length() && Character.isLowSurrogate(out.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                throw new JsonException("unpaired surrogate \\u" + Integer.toHexString(c) + " in a string", i);
            }
        }
        return out;
    }

    private char hex4() throws JsonException {
        if (i + 4 > s.length()) {
            throw new JsonException("truncated \\u escape", i);
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0 || s.charAt(i + k) > 'f') {
                throw new JsonException("invalid \\u escape", i);
            }
            v = v * 16 + d;
        }
        i += 4;
        return (char) v;
    }

    private Number number() throws JsonException {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '0') {
            i++;
        } else if (digits() == 0) {
            throw new JsonException("invalid number", start);
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            if (digits() == 0) {
                throw new JsonException("invalid number: digits expected after '.'", start);
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw new JsonException("invalid number: digits expected in the exponent", start);
            }
        }
        if (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            throw new JsonException("invalid number: leading zero", start);
        }
        return new Number(s.substring(start, i));
    }

    private int digits() {
        int n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            n++;
        }
        return n;
    }

    private Object literal(String word, Object v) throws JsonException {
        if (!s.startsWith(word, i)) {
            throw new JsonException("unexpected word", i);
        }
        i += word.length();
        return v;
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private char peek() throws JsonException {
        if (i >= s.length()) {
            throw new JsonException("unexpected end", i);
        }
        return s.charAt(i);
    }

    private char next() throws JsonException {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) throws JsonException {
        if (next() != c) {
            throw new JsonException("expected '" + c + "'", i - 1);
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
