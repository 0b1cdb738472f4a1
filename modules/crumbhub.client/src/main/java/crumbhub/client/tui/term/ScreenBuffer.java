package crumbhub.client.tui.term;

import crumbhub.client.tui.text.DisplayWidth;
import crumbhub.client.tui.text.Style;

/**
 * An off-screen grid of cells, each holding one character cluster and its style. A wide
 * character fills its cell and the next one, which holds the empty string; the grid never holds
 * half of a wide character. Frames are drawn here and then {@link Display} sends the difference.
 * Not thread-safe.
 */
public final class ScreenBuffer {
    /** Marks the right half of a wide character. */
    static final String CONTINUATION = "";
    private static final String BLANK = " ";
    private static final String[] ASCII = new String[128];

    static {
        for (int i = 0; i < ASCII.length; i++) {
            ASCII[i] = String.valueOf((char) i);
        }
    }

    private final int width;
    private final int height;
    private final String[] text;
    private final Style[] styles;

    public ScreenBuffer(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("screen size must be positive: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.text = new String[width * height];
        this.styles = new Style[width * height];
        clear();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public void clear() {
        java.util.Arrays.fill(text, BLANK);
        java.util.Arrays.fill(styles, Style.DEFAULT);
    }

    /** Paints {@code count} blank cells in {@code style} from {@code (row, col)}, clipped. */
    public void fill(int row, int col, int count, Style style) {
        if (row < 0 || row >= height) {
            return;
        }
        for (int c = Math.max(0, col); c < Math.min(width, col + count); c++) {
            set(row, c, BLANK, style, 1);
        }
    }

    /**
     * Writes {@code s} from {@code (row, col)} but not past column {@code limit} (exclusive), and
     * returns the column after the last cell written. A wide character that would cross the limit
     * is drawn as a blank; a control character as U+FFFD.
     */
    public int put(int row, int col, String s, Style style, int limit) {
        int end = Math.min(limit, width);
        if (row < 0 || row >= height) {
            return col;
        }
        int c = col;
        for (int i = 0; i < s.length() && c < end; ) {
            int next = DisplayWidth.clusterEnd(s, i);
            int cp = s.codePointAt(i);
            String cluster;
            int w;
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
                cluster = "\uFFFD";
                w = 1;
            } else {
                cluster = next == i + 1 && cp < 128 ? ASCII[cp] : s.substring(i, next);
                w = DisplayWidth.of(cp);
            }
            i = next;
            if (w == 0) {
                continue;
            }
            if (c + w > end) {
                set(row, c, BLANK, style, 1);
                c++;
                break;
            }
            if (c >= 0) {
                set(row, c, cluster, style, w);
            }
            c += w;
        }
        return c;
    }

    public int put(int row, int col, String s, Style style) {
        return put(row, col, s, style, width);
    }

    private void set(int row, int col, String cluster, Style style, int w) {
        int i = row * width + col;
        if (text[i].isEmpty() && col > 0) {
            text[i - 1] = BLANK;
        }
        if (w == 1 && col + 1 < width && text[i + 1].isEmpty()) {
            text[i + 1] = BLANK;
        }
        text[i] = cluster;
        styles[i] = style;
        if (w == 2) {
            if (col + 2 < width && text[i + 2].isEmpty()) {
                text[i + 2] = BLANK;
            }
            text[i + 1] = CONTINUATION;
            styles[i + 1] = style;
        }
    }

    /** The cluster in a cell: one character with its marks, " " if blank, "" for a wide char's right half. */
    public String text(int row, int col) {
        return text[row * width + col];
    }

    public Style style(int row, int col) {
        return styles[row * width + col];
    }

    boolean sameCell(ScreenBuffer other, int index) {
        return text[index].equals(other.text[index]) && styles[index].equals(other.styles[index]);
    }

    String textAt(int index) {
        return text[index];
    }

    Style styleAt(int index) {
        return styles[index];
    }

    /** A row's text, trailing blanks removed. */
    public String row(int row) {
        var sb = new StringBuilder();
        for (int c = 0; c < width; c++) {
            sb.append(text[row * width + c]);
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }

    /** The whole screen as text, one line per row, trailing blanks removed; for tests and snapshots. */
    public String dump() {
        var sb = new StringBuilder();
        for (int r = 0; r < height; r++) {
            sb.append(row(r)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "ScreenBuffer[" + width + "x" + height + "]";
    }
}
