package crumbhub.client.tui.text;

/**
 * How a cell is drawn: foreground and background colour (an index into the terminal's 256-colour
 * palette, or {@link #DEFAULT_COLOR}) and attribute bits. Immutable; compared by value.
 */
public record Style(int fg, int bg, int attributes) {
    public static final int DEFAULT_COLOR = -1;
    public static final int BOLD = 1;
    public static final int DIM = 2;
    public static final int UNDERLINE = 4;
    public static final int REVERSE = 8;

    /** The terminal's default colours, no attributes. */
    public static final Style DEFAULT = new Style(DEFAULT_COLOR, DEFAULT_COLOR, 0);

    public Style {
        if (fg < DEFAULT_COLOR || fg > 255 || bg < DEFAULT_COLOR || bg > 255) {
            throw new IllegalArgumentException("colour index out of range: " + fg + "/" + bg);
        }
        if ((attributes & ~(BOLD | DIM | UNDERLINE | REVERSE)) != 0) {
            throw new IllegalArgumentException("unknown attribute bits: " + attributes);
        }
    }

    public static Style fg(int colour) {
        return new Style(colour, DEFAULT_COLOR, 0);
    }

    public Style withFg(int colour) {
        return new Style(colour, bg, attributes);
    }

    public Style withBg(int colour) {
        return new Style(fg, colour, attributes);
    }

    public Style with(int attribute) {
        return new Style(fg, bg, attributes | attribute);
    }

    public boolean has(int attribute) {
        return (attributes & attribute) != 0;
    }

    /** This style with colours dropped, for {@code NO_COLOR}: attributes stay. */
    public Style withoutColours() {
        return fg == DEFAULT_COLOR && bg == DEFAULT_COLOR ? this : new Style(DEFAULT_COLOR, DEFAULT_COLOR, attributes);
    }
}
