package crumbhub.client.tui.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy word wrap of styled text into rows of a given width, with a hanging indent.
 *
 * <p>Lines break after spaces; a word longer than a row is cut between clusters, and a wide
 * character never straddles two rows. A line feed in the text forces a break. Every row after the
 * first starts with {@code indent} blank columns (capped at half the width so that a long prefix
 * cannot squeeze the text to nothing). Spaces at a soft break are dropped.
 */
public final class Wrap {
    private Wrap() {
    }

    public static List<StyledLine> wrap(List<Span> spans, int width, int indent) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive: " + width);
        }
        var c = Clusters.of(spans);
        int hang = Math.max(0, Math.min(indent, width / 2));
        var lines = new ArrayList<StyledLine>();
        int n = c.size();
        int i = 0;
        boolean first = true;
        while (true) {
            int avail = first ? width : width - hang;
            int j = i;
            int used = 0;
            int lastBreak = -1;
            boolean overflow = false;
            while (j < n && !c.newline(j)) {
                if (used + c.width(j) > avail) {
                    overflow = true;
                    break;
                }
                used += c.width(j);
                j++;
                if (c.space(j - 1) && j < n && !c.space(j)) {
                    lastBreak = j;
                }
            }
            if (!overflow) {
                lines.add(c.line(i, j, first ? 0 : hang));
                if (j >= n) {
                    return lines;
                }
                i = j + 1;
                first = false;
                continue;
            }
            int end;
            int pad = first ? 0 : hang;
            if (c.space(j)) {
                end = j;
            } else if (lastBreak > i) {
                end = lastBreak;
            } else if (j > i) {
                end = j;
            } else {
                // one cluster wider than the room left after the indent: give it the indent's room
                end = i + 1;
                pad = Math.max(0, Math.min(pad, width - c.width(i)));
            }
            lines.add(c.line(i, end, pad));
            i = end;
            while (i < n && c.space(i)) {
                i++;
            }
            first = false;
            if (i >= n) {
                return lines;
            }
        }
    }

    /** The text cut into clusters, each with its style, width and kind. */
    private record Clusters(List<String> text, List<Style> styles, int[] widths) {
        static Clusters of(List<Span> spans) {
            var text = new ArrayList<String>();
            var styles = new ArrayList<Style>();
            for (Span span : spans) {
                String s = span.text();
                for (int k = 0; k < s.length(); ) {
                    int end = DisplayWidth.clusterEnd(s, k);
                    text.add(s.substring(k, end));
                    styles.add(span.style());
                    k = end;
                }
            }
            int[] widths = new int[text.size()];
            for (int k = 0; k < widths.length; k++) {
                String t = text.get(k);
                widths[k] = t.equals("\n") ? 0 : DisplayWidth.clusterWidth(t, 0);
            }
            return new Clusters(text, styles, widths);
        }

        int size() {
            return widths.length;
        }

        int width(int k) {
            return widths[k];
        }

        boolean space(int k) {
            return text.get(k).equals(" ");
        }

        boolean newline(int k) {
            return text.get(k).equals("\n");
        }

        /** Row from clusters {@code [from, to)}, trailing spaces trimmed, after {@code pad} blanks. */
        StyledLine line(int from, int to, int pad) {
            while (to > from && space(to - 1)) {
                to--;
            }
            var spans = new ArrayList<Span>();
            if (pad > 0) {
                spans.add(Span.plain(" ".repeat(pad)));
            }
            var run = new StringBuilder();
            Style runStyle = null;
            for (int k = from; k < to; k++) {
                if (runStyle != null && !styles.get(k).equals(runStyle)) {
                    spans.add(new Span(run.toString(), runStyle));
                    run.setLength(0);
                }
                runStyle = styles.get(k);
                run.append(text.get(k));
            }
            if (runStyle != null) {
                spans.add(new Span(run.toString(), runStyle));
            }
            return new StyledLine(spans);
        }
    }
}
