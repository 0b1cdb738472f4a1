package crumbhub.client.tui.text;

import java.util.List;

/** One screen row's worth of styled text, left to right. */
public record StyledLine(List<Span> spans) {
    public static final StyledLine EMPTY = new StyledLine(List.of());

    public StyledLine {
        spans = List.copyOf(spans);
    }

    public static StyledLine of(Span... spans) {
        return new StyledLine(List.of(spans));
    }

    public int width() {
        int w = 0;
        for (Span s : spans) {
            w += s.width();
        }
        return w;
    }

    /** The text without styles, as a test or the plain line mode would print it. */
    public String text() {
        var sb = new StringBuilder();
        for (Span s : spans) {
            sb.append(s.text());
        }
        return sb.toString();
    }
}
