package crumbhub.client.tui.text;

/**
 * Makes untrusted text safe to draw. Message bodies, nicks and topics come from other people: a
 * control character in them could move the cursor, change colours or rewrite the screen, and a
 * bidirectional override could make a line read differently from what was sent.
 */
public final class Sanitizer {
    /** Drawn in place of a control character or an unpaired surrogate. */
    public static final char REPLACEMENT = '\uFFFD';

    private Sanitizer() {
    }

    /**
     * Returns {@code text} with tabs turned into a space, line feeds kept only when
     * {@code keepNewlines} (a carriage return before one is dropped), every other C0/C1 control
     * and unpaired surrogate replaced by U+FFFD, and bidirectional embedding, override and
     * isolate controls removed.
     */
    public static String clean(String text, boolean keepNewlines) {
        if (isClean(text, keepNewlines)) {
            return text;
        }
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                out.append(' ');
            } else if (c == '\r' && keepNewlines && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            } else if (c == '\n') {
                out.append(keepNewlines ? '\n' : ' ');
            } else if (isControl(c)) {
                out.append(REPLACEMENT);
            } else if (isBidiControl(c)) {
                continue;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isClean(String text, boolean keepNewlines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' ? !keepNewlines : isControl(c) || c == '\t') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (isBidiControl(c) || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c < 0xA0);
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
