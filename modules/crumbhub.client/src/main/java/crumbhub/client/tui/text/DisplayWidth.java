package crumbhub.client.tui.text;

/**
 * How many terminal columns a code point or a string occupies, in the manner of POSIX {@code wcwidth}.
 *
 * <p>Zero width: non-spacing and enclosing combining marks and format characters (from the JDK's
 * Unicode tables, {@link Character#getType}), Hangul medial and final jamo. Two columns: the East
 * Asian Wide and Fullwidth ranges and the emoji that terminals draw in two cells (table below,
 * following Unicode's EastAsianWidth.txt). Everything else, including unassigned and private-use
 * code points, takes one column. Control characters take zero columns here; text is passed
 * through {@link Sanitizer} before it reaches the screen, so they never get there.
 *
 * <p>A string's width is the sum of its code points' widths, which is what xterm, tmux and most
 * terminals draw; emoji joined with ZWJ are therefore counted per part.
 */
public final class DisplayWidth {
    /** Start and end (inclusive) of each double-width range, sorted, for binary search. */
    private static final int[][] WIDE = {
            {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
            {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
            {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
            {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
            {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
            {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
            {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
            {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
            {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
            {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x16FF0, 0x16FF1}, {0x17000, 0x18CFF},
            {0x18D00, 0x18D08}, {0x1AFF0, 0x1AFFE}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004},
            {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
            {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265},
            {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393},
            {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4},
            {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D},
            {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596},
            {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC},
            {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6DC, 0x1F6DF}, {0x1F6EB, 0x1F6EC},
            {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F7F0, 0x1F7F0}, {0x1F90C, 0x1F93A},
            {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
            {0x30000, 0x3FFFD},
    };

    private DisplayWidth() {
    }

    /** Columns taken by one code point: 0, 1 or 2. */
    public static int of(int codePoint) {
        if (codePoint < 0x300) {
            return codePoint < 0x20 || (codePoint >= 0x7F && codePoint < 0xA0) ? 0 : 1;
        }
        if (isZeroWidth(codePoint)) {
            return 0;
        }
        return isWide(codePoint) ? 2 : 1;
    }

    /** Columns taken by a string: the sum over its code points. */
    public static int of(CharSequence text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            width += of(cp);
            i += Character.charCount(cp);
        }
        return width;
    }

    /** Whether a code point combines with the one before it and takes no column of its own. */
    public static boolean isZeroWidth(int codePoint) {
        if (codePoint < 0x300) {
            return false;
        }
        if ((codePoint >= 0x1160 && codePoint <= 0x11FF) || (codePoint >= 0xD7B0 && codePoint <= 0xD7FF)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.FORMAT;
    }

    /** Whether a code point is drawn in two columns. */
    public static boolean isWide(int codePoint) {
        if (codePoint < WIDE[0][0]) {
            return false;
        }
        int lo = 0;
        int hi = WIDE.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (codePoint < WIDE[mid][0]) {
                hi = mid - 1;
            } else if (codePoint > WIDE[mid][1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * End index (exclusive) of the character cluster starting at {@code index}: one code point
     * followed by every zero-width code point after it. The cursor and the screen move by clusters
     * so that a combining accent stays with its letter.
     */
    public static int clusterEnd(CharSequence text, int index) {
        int i = index + Character.charCount(Character.codePointAt(text, index));
        while (i < text.length()) {
            int cp = Character.codePointAt(text, i);
            if (!isZeroWidth(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Start index of the cluster that ends at {@code index} (exclusive); {@code index} must be > 0. */
    public static int clusterStart(CharSequence text, int index) {
        int i = index;
        while (i > 0) {
            int cp = Character.codePointBefore(text, i);
            i -= Character.charCount(cp);
            if (!isZeroWidth(cp)) {
                break;
            }
        }
        return i;
    }

    /** Columns taken by the cluster {@code [start, end)}: the width of its first code point. */
    public static int clusterWidth(CharSequence text, int start) {
        return of(Character.codePointAt(text, start));
    }
}
