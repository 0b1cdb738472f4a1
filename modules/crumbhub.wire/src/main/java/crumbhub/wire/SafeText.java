package crumbhub.wire;

/**
 * Text that a program prints for a person or keeps as a name: which characters may never be in a
 * name the server sees (device names), and how any text is escaped before it reaches an operator's
 * terminal (docs/protocol.md §2 "Names"). Refused, and escaped on output:
 * <ul>
 *   <li>C0 and C1 control characters and DEL: a terminal runs escape sequences (ESC) and a
 *       newline forges a line;</li>
 *   <li>bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks
 *       (U+200E, U+200F, U+061C): they reorder what follows so that a name reads as another;</li>
 *   <li>the line and paragraph separators (U+2028, U+2029), zero-width characters that hide text
 *       (U+200B–U+200D, U+2060, U+FEFF) and the interlinear annotation and object replacement
 *       controls (U+FFF9–U+FFFB).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class SafeText {
    private SafeText() {}

    /** Whether {@code cp} may not appear in a name and is escaped on output. */
    public static boolean isUnsafe(int cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x200E || cp == 0x200F || cp == 0x061C
                || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFB);
    }

    /**
     * Why {@code text} cannot be a name ({@code what}, like "a device name"), naming the first
     * unsafe character and its position; null if it is safe.
     */
    public static String refusal(String text, String what) {
        for (int i = 0, n = 0; i < text.length(); n++) {
            int cp = text.codePointAt(i);
            if (isUnsafe(cp)) {
                return what + " must not contain control or bidirectional-override characters (U+"
                        + String.format("%04X", cp) + " at character " + (n + 1) + ")";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * {@code text} with every unsafe character written as <code>&#92;u{XXXX}</code> and each backslash
     * doubled, so what is printed is exactly what is stored and nothing acts on the terminal.
     */
    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * As {@link #escape(String)}, but tabs and backslashes stay: for whole lines whose columns are
     * tab-separated and whose free-text columns were {@link #escape escaped} when the line was built.
     */
    public static String escapeLine(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepTabs) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            boolean unsafe = keepTabs ? cp != '\t' && isUnsafe(cp) : isUnsafe(cp) || cp == '\\';
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (cp == '\\' && !keepTabs) {
                    out.append("\\\\");
                } else if (unsafe) {
                    out.append("\\u{").append(String.format("%04X", cp)).append('}');
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }
}
