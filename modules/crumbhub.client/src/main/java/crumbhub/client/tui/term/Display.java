package crumbhub.client.tui.term;

import crumbhub.client.tui.text.Style;
import java.nio.charset.StandardCharsets;

/**
 * Keeps what the terminal shows in a front buffer and, for each new frame, writes only the cells
 * that changed, in one {@link Terminal#write}. Runs of changes close together are joined (moving
 * the cursor costs more bytes than rewriting a few cells), a row that ends in blanks is finished
 * with erase-to-end-of-line, and both halves of a wide character are always written together.
 * Frames are bracketed by synchronized-update mode (DEC 2026) where the terminal supports it, and
 * the cursor is hidden while drawing. Without colours (NO_COLOR) only attributes are sent.
 *
 * <p>Owned by the UI thread.
 */
public final class Display {
    /** Unchanged cells between two changed runs that are rewritten rather than skipped. */
    private static final int JOIN_GAP = 4;
    private static final String CSI = "\u001B[";

    private final Terminal terminal;
    private final boolean colours;
    private ScreenBuffer front;
    private ScreenBuffer back;
    private boolean invalid = true;
    private int cursorRow = -1;
    private int cursorCol = -1;
    private boolean cursorShown;
    private long bytesWritten;

    public Display(Terminal terminal, boolean colours) {
        this.terminal = terminal;
        this.colours = colours;
    }

    /** A cleared buffer of the terminal's current size to draw the next frame into. */
    public ScreenBuffer frame(TerminalSize size) {
        if (back == null || back.width() != size.columns() || back.height() != size.rows()) {
            back = new ScreenBuffer(size.columns(), size.rows());
        } else {
            back.clear();
        }
        return back;
    }

    /** The next {@link #present} repaints the whole screen (after a resize or Ctrl-L). */
    public void invalidate() {
        invalid = true;
    }

    /** Bytes written so far, for measurements. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Sends the difference between the screen and {@code frame} (obtained from {@link #frame}),
     * leaves the cursor at {@code (row, col)} (hidden if {@code row < 0}) and rings the bell if
     * asked. Writes nothing when nothing changed.
     */
    public void present(ScreenBuffer frame, int row, int col, boolean bell) {
        var out = new StringBuilder(256);
        boolean full = invalid || front == null
                || front.width() != frame.width() || front.height() != frame.height();
        if (full) {
            front = new ScreenBuffer(frame.width(), frame.height());
            out.append(CSI).append("0m").append(CSI).append("2J");
            invalid = false;
        }
        var writer = new RowWriter(out, frame);
        for (int r = 0; r < frame.height(); r++) {
            writer.row(front, r);
        }
        boolean wantCursor = row >= 0;
        boolean moved = writer.wrote || full || wantCursor != cursorShown
                || (wantCursor && (row != cursorRow || col != cursorCol));
        if (!moved && !bell) {
            swap(frame);
            return;
        }
        var frameBytes = new StringBuilder(out.length() + 32);
        frameBytes.append(CSI).append("?2026h").append(CSI).append("?25l");
        frameBytes.append(out);
        if (wantCursor) {
            frameBytes.append(CSI).append(row + 1).append(';').append(col + 1).append('H');
            frameBytes.append(CSI).append("?25h");
        }
        frameBytes.append(CSI).append("?2026l");
        if (bell) {
            frameBytes.append('\u0007');
        }
        byte[] bytes = frameBytes.toString().getBytes(StandardCharsets.UTF_8);
        bytesWritten += bytes.length;
        terminal.write(bytes);
        cursorShown = wantCursor;
        cursorRow = row;
        cursorCol = col;
        swap(frame);
    }

    private void swap(ScreenBuffer frame) {
        ScreenBuffer old = front;
        front = frame;
        back = old;
    }

    /** Emits one row's changes; tracks the terminal's cursor and current style across rows. */
    private final class RowWriter {
        private final StringBuilder out;
        private final ScreenBuffer next;
        private final boolean[] dirty;
        private int atRow = -1;
        private int atCol = -1;
        private Style current;
        boolean wrote;

        RowWriter(StringBuilder out, ScreenBuffer next) {
            this.out = out;
            this.next = next;
            this.dirty = new boolean[next.width()];
        }

        void row(ScreenBuffer shown, int r) {
            int w = next.width();
            int base = r * w;
            boolean any = false;
            for (int c = 0; c < w; c++) {
                dirty[c] = !shown.sameCell(next, base + c);
                any |= dirty[c];
            }
            if (!any) {
                return;
            }
            widenAroundWideCharacters(shown, base, w);
            int c = 0;
            while (c < w) {
                if (!dirty[c]) {
                    c++;
                    continue;
                }
                int start = c;
                int end = c + 1;
                int gap = 0;
                for (int k = end; k < w; k++) {
                    if (dirty[k]) {
                        end = k + 1;
                        gap = 0;
                    } else if (++gap > JOIN_GAP) {
                        break;
                    }
                }
                write(r, start, end);
                c = end;
            }
        }

        /** Both halves of a wide character, in the old or the new frame, are rewritten together. */
        private void widenAroundWideCharacters(ScreenBuffer shown, int base, int w) {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int c = 0; c < w; c++) {
                    if (!dirty[c]) {
                        continue;
                    }
                    boolean continuation = shown.textAt(base + c).isEmpty() || next.textAt(base + c).isEmpty();
                    if (continuation && c > 0 && !dirty[c - 1]) {
                        dirty[c - 1] = true;
                        changed = true;
                    }
                    boolean wideLeft = c + 1 < w
                            && (shown.textAt(base + c + 1).isEmpty() || next.textAt(base + c + 1).isEmpty());
                    if (wideLeft && !dirty[c + 1]) {
                        dirty[c + 1] = true;
                        changed = true;
                    }
                }
            }
        }

        private void write(int r, int start, int end) {
            int w = next.width();
            int base = r * w;
            int blankFrom = end;
            if (end == w) {
                while (blankFrom > start && next.textAt(base + blankFrom - 1).equals(" ")
                        && next.styleAt(base + blankFrom - 1).equals(Style.DEFAULT)) {
                    blankFrom--;
                }
            }
            if (atRow != r || atCol != start) {
                out.append(CSI).append(r + 1).append(';').append(start + 1).append('H');
            }
            int col = start;
            for (int c = start; c < blankFrom; c++) {
                String t = next.textAt(base + c);
                if (t.isEmpty()) {
                    continue;
                }
                Style s = next.styleAt(base + c);
                if (!s.equals(current)) {
                    sgr(s);
                    current = s;
                }
                out.append(t);
                col = c + (c + 1 < w && next.textAt(base + c + 1).isEmpty() ? 2 : 1);
            }
            if (blankFrom < end) {
                if (!Style.DEFAULT.equals(current)) {
                    out.append(CSI).append("0m");
                    current = Style.DEFAULT;
                }
                out.append(CSI).append('K');
            }
            wrote = true;
            atRow = r;
            // after the last column the terminal's cursor position is uncertain (pending wrap)
            atCol = col >= w ? -1 : col;
        }

        private void sgr(Style s) {
            out.append(CSI).append('0');
            if (s.has(Style.BOLD)) {
                out.append(";1");
            }
            if (s.has(Style.DIM)) {
                out.append(";2");
            }
            if (s.has(Style.UNDERLINE)) {
                out.append(";4");
            }
            if (s.has(Style.REVERSE)) {
                out.append(";7");
            }
            if (colours) {
                colour(s.fg(), 30, 90, 38);
                colour(s.bg(), 40, 100, 48);
            }
            out.append('m');
        }

        private void colour(int index, int normal, int bright, int extended) {
            if (index == Style.DEFAULT_COLOR) {
                return;
            }
            if (index < 8) {
                out.append(';').append(normal + index);
            } else if (index < 16) {
                out.append(';').append(bright + index - 8);
            } else {
                out.append(';').append(extended).append(";5;").append(index);
            }
        }
    }
}
