package crumbhub.client.tui.text;

import java.util.Objects;

/** A run of text drawn in one style. The text is already sanitized. */
public record Span(String text, Style style) {
    public Span {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(style, "style");
    }

    public static Span plain(String text) {
        return new Span(text, Style.DEFAULT);
    }

    public int width() {
        return DisplayWidth.of(text);
    }
}
