package crumbhub.client.tui.term;

/** A terminal's size in character cells. */
public record TerminalSize(int columns, int rows) {
    /** Used when the terminal does not report a size. */
    public static final TerminalSize FALLBACK = new TerminalSize(80, 24);

    public TerminalSize {
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("terminal size must be positive: " + columns + "x" + rows);
        }
    }
}
