package crumbhub.client.tui.term;

import crumbhub.client.tui.text.DisplayWidth;
import crumbhub.client.tui.text.Style;
import java.nio.charset.StandardCharsets;

/**
 * A tiny terminal emulator for tests: applies the escape sequences {@link Display} and
 * {@link PosixTerminal} send (cursor position, erase, SGR, private modes, bell) to a
 * {@link ScreenBuffer}, with xterm's rules for overwriting half of a wide character and for
 * wrapping at the right margin. Anything else is an error, so a test notices stray output.
 */
public final class VirtualScreen {
    private ScreenBuffer screen;
    private int row;
    private int col;
    private boolean pendingWrap;
    private Style style = Style.DEFAULT;
    private boolean cursorVisible = true;
    private int bells;
    private final StringBuilder pending = new StringBuilder();

    public VirtualScreen(int width, int height) {
        screen = new ScreenBuffer(width, height);
    }

    public void resize(int width, int height) {
        var next = new ScreenBuffer(width, height);
        for (int r = 0; r < Math.min(height, screen.height()); r++) {
            for (int c = 0; c < Math.min(width, screen.width()); c++) {
                String t = screen.text(r, c);
                if (!t.isEmpty()) {
                    next.put(r, c, t, screen.style(r, c));
                }
            }
        }
        screen = next;
        row = Math.min(row, height - 1);
        col = Math.min(col, width - 1);
    }

    public ScreenBuffer screen() {
        return screen;
    }

    public int bells() {
        return bells;
    }

    public boolean cursorVisible() {
        return cursorVisible;
    }

    public int cursorRow() {
        return row;
    }

    public int cursorCol() {
        return col;
    }

    public String dump() {
        return screen.dump();
    }

    public void apply(byte[] bytes) {
        pending.append(new String(bytes, StandardCharsets.UTF_8));
        int i = 0;
        String s = pending.toString();
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '\u001B') {
                int end = sequenceEnd(s, i);
                if (end < 0) {
                    break;
                }
                control(s.substring(i + 2, end), s.charAt(end));
                i = end + 1;
            } else if (ch == '\u0007') {
                bells++;
                i++;
            } else if (ch < 0x20) {
                throw new IllegalStateException("unexpected control character " + (int) ch);
            } else {
                int next = DisplayWidth.clusterEnd(s, i);
                print(s.substring(i, next));
                i = next;
            }
        }
        pending.delete(0, i);
    }

    private static int sequenceEnd(String s, int start) {
        if (start + 1 >= s.length()) {
            return -1;
        }
        if (s.charAt(start + 1) != '[') {
            throw new IllegalStateException("unexpected escape " + s.charAt(start + 1));
        }
        for (int k = start + 2; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 0x40 && c <= 0x7E) {
                return k;
            }
        }
        return -1;
    }

    private void print(String cluster) {
        int w = DisplayWidth.clusterWidth(cluster, 0);
        if (pendingWrap || col + w > screen.width()) {
            pendingWrap = false;
            col = 0;
            row = Math.min(row + 1, screen.height() - 1);
        }
        screen.put(row, col, cluster, style);
        col += w;
        if (col >= screen.width()) {
            col = screen.width() - 1;
            pendingWrap = true;
        }
    }

    private void control(String params, char fin) {
        pendingWrap = false;
        switch (fin) {
            case 'H' -> {
                String[] p = params.isEmpty() ? new String[0] : params.split(";");
                row = Math.clamp((p.length > 0 ? Integer.parseInt(p[0]) : 1) - 1, 0, screen.height() - 1);
                col = Math.clamp((p.length > 1 ? Integer.parseInt(p[1]) : 1) - 1, 0, screen.width() - 1);
            }
            case 'J' -> {
                if (!params.equals("2")) {
                    throw new IllegalStateException("unexpected ED " + params);
                }
                for (int r = 0; r < screen.height(); r++) {
                    screen.fill(r, 0, screen.width(), style.withFg(Style.DEFAULT_COLOR).with(0));
                }
            }
            case 'K' -> screen.fill(row, col, screen.width() - col, new Style(Style.DEFAULT_COLOR, style.bg(), 0));
            case 'm' -> sgr(params);
            case 'h', 'l' -> {
                if (params.equals("?25")) {
                    cursorVisible = fin == 'h';
                } else if (!params.startsWith("?")) {
                    throw new IllegalStateException("unexpected mode " + params);
                }
            }
            default -> throw new IllegalStateException("unexpected sequence " + params + fin);
        }
    }

    private void sgr(String params) {
        String[] p = params.isEmpty() ? new String[] {"0"} : params.split(";");
        for (int i = 0; i < p.length; i++) {
            int v = Integer.parseInt(p[i]);
            if (v == 0) {
                style = Style.DEFAULT;
            } else if (v == 1) {
                style = style.with(Style.BOLD);
            } else if (v == 2) {
                style = style.with(Style.DIM);
            } else if (v == 4) {
                style = style.with(Style.UNDERLINE);
            } else if (v == 7) {
                style = style.with(Style.REVERSE);
            } else if (v >= 30 && v <= 37) {
                style = style.withFg(v - 30);
            } else if (v >= 90 && v <= 97) {
                style = style.withFg(v - 90 + 8);
            } else if (v >= 40 && v <= 47) {
                style = style.withBg(v - 40);
            } else if (v >= 100 && v <= 107) {
                style = style.withBg(v - 100 + 8);
            } else if (v == 38 || v == 48) {
                int colour = Integer.parseInt(p[i + 2]);
                style = v == 38 ? style.withFg(colour) : style.withBg(colour);
                i += 2;
            } else {
                throw new IllegalStateException("unexpected SGR " + v);
            }
        }
    }
}
