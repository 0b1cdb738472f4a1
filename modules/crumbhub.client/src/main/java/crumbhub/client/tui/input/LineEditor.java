package crumbhub.client.tui.input;

import crumbhub.client.tui.input.Key.KeyName;
import crumbhub.client.tui.text.DisplayWidth;
import crumbhub.client.tui.text.Sanitizer;
import java.util.List;
import java.util.Objects;

/**
 * The input line: an Emacs-style single-line editor with history, a kill buffer and Tab
 * completion. The cursor sits between character clusters (a letter and the combining marks after
 * it move and delete together) and its screen column accounts for wide characters.
 *
 * <p>Keys: Ctrl-A/Home, Ctrl-E/End, Ctrl-B/Left, Ctrl-F/Right, Alt-B/Ctrl-Left, Alt-F/Ctrl-Right,
 * Ctrl-H/Backspace, Ctrl-D/Delete, Ctrl-W (kill the whitespace-separated word before the cursor),
 * Alt-Backspace (kill the word before), Alt-D (kill the word after), Ctrl-U (kill to the start),
 * Ctrl-K (kill to the end), Ctrl-Y (yank the last kill; consecutive kills add up), Up/Down
 * (history), Tab/Shift-Tab (complete, cycling), Enter (submit). Pasted line breaks become
 * spaces; the line holds at most {@link #MAX_LENGTH} chars. Not thread-safe: UI thread only.
 */
public final class LineEditor {
    /** What a key did. */
    public sealed interface Outcome {
    }

    /** The line or the cursor may have changed. */
    public record Edited() implements Outcome {
    }

    /** Enter was pressed; the editor is now empty. */
    public record Submitted(String line) implements Outcome {
    }

    /** Not an editing key: the caller may give it another meaning. */
    public record NotHandled() implements Outcome {
    }

    /** The visible part of the line in a field of some width, and the cursor's column in it. */
    public record View(String text, int cursorColumn) {
    }

    /** Longest line kept; more than any message body the protocol carries (BODY is 60,000 bytes). */
    public static final int MAX_LENGTH = 16_384;

    private static final Outcome EDITED = new Edited();
    private static final Outcome NOT_HANDLED = new NotHandled();

    private final Completer completer;
    private final History history;
    private final StringBuilder line = new StringBuilder();
    private int cursor;
    private String killed = "";
    private boolean lastWasKill;
    private int historyIndex = -1;
    private String draft = "";
    private Completion completion;
    private int scroll;

    private record Completion(int start, List<String> candidates, int index, int end) {
    }

    public LineEditor(Completer completer, History history) {
        this.completer = Objects.requireNonNull(completer, "completer");
        this.history = Objects.requireNonNull(history, "history");
    }

    public String text() {
        return line.toString();
    }

    /** The cursor as a char index into {@link #text()}. */
    public int cursor() {
        return cursor;
    }

    /** Columns between the start of the line and the cursor. */
    public int cursorColumn() {
        return DisplayWidth.of(line.subSequence(0, cursor));
    }

    public History history() {
        return history;
    }

    /** Replaces the line, cursor at the end. */
    public void setText(String text) {
        line.setLength(0);
        line.append(Sanitizer.clean(text, false));
        cursor = line.length();
        completion = null;
    }

    public Outcome handle(Key key) {
        boolean kill = false;
        Completion previous = completion;
        completion = null;
        Outcome outcome = switch (key) {
            case Key.Char c -> insert(Character.toString(c.codePoint()));
            case Key.Paste p -> insert(p.text().replace("\r\n", "\n").replace('\r', '\n'));
            case Key.Ctrl c -> switch (c.letter()) {
                case 'A' -> move(0);
                case 'E' -> move(line.length());
                case 'B' -> move(cursor == 0 ? 0 : DisplayWidth.clusterStart(line, cursor));
                case 'F' -> move(cursor == line.length() ? cursor : DisplayWidth.clusterEnd(line, cursor));
                case 'H' -> deleteBackward();
                case 'D' -> deleteForward();
                case 'W' -> {
                    kill = true;
                    yield killBackward(whitespaceWordStart());
                }
                case 'U' -> {
                    kill = true;
                    yield killBackward(0);
                }
                case 'K' -> {
                    kill = true;
                    yield killForward(line.length());
                }
                case 'Y' -> insert(killed);
                default -> NOT_HANDLED;
            };
            case Key.Alt a -> switch (a.key()) {
                case Key.Char c when c.codePoint() == 'b' || c.codePoint() == 'B' -> move(wordStart());
                case Key.Char c when c.codePoint() == 'f' || c.codePoint() == 'F' -> move(wordEnd());
                case Key.Char c when c.codePoint() == 'd' || c.codePoint() == 'D' -> {
                    kill = true;
                    yield killForward(wordEnd());
                }
                case Key.Named n when n.name() == KeyName.BACKSPACE -> {
                    kill = true;
                    yield killBackward(wordStart());
                }
                case Key.Ctrl c when c.letter() == 'H' -> {
                    kill = true;
                    yield killBackward(wordStart());
                }
                default -> NOT_HANDLED;
            };
            case Key.Named n -> named(n, previous);
            case Key.Unknown u -> NOT_HANDLED;
        };
        if (!(outcome instanceof NotHandled)) {
            lastWasKill = kill;
        }
        return outcome;
    }

    private Outcome named(Key.Named key, Completion previous) {
        boolean word = (key.modifiers() & (Key.CTRL | Key.ALT)) != 0;
        return switch (key.name()) {
            case ENTER -> submit();
            case LEFT -> move(word ? wordStart() : cursor == 0 ? 0 : DisplayWidth.clusterStart(line, cursor));
            case RIGHT -> move(word ? wordEnd() : cursor == line.length() ? cursor : DisplayWidth.clusterEnd(line, cursor));
            case HOME -> move(0);
            case END -> move(line.length());
            case BACKSPACE -> deleteBackward();
            case DELETE -> deleteForward();
            case UP -> historyStep(-1);
            case DOWN -> historyStep(1);
            case TAB -> complete(previous, 1);
            case BACKTAB -> complete(previous, -1);
            default -> NOT_HANDLED;
        };
    }

    private Outcome insert(String raw) {
        String text = Sanitizer.clean(raw, false);
        int room = MAX_LENGTH - line.length();
        if (text.length() > room) {
            int cut = Math.max(0, room);
            if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            text = text.substring(0, cut);
        }
        line.insert(cursor, text);
        cursor += text.length();
        return EDITED;
    }

    private Outcome move(int to) {
        cursor = to;
        return EDITED;
    }

    private Outcome deleteBackward() {
        if (cursor > 0) {
            int start = DisplayWidth.clusterStart(line, cursor);
            line.delete(start, cursor);
            cursor = start;
        }
        return EDITED;
    }

    private Outcome deleteForward() {
        if (cursor < line.length()) {
            line.delete(cursor, DisplayWidth.clusterEnd(line, cursor));
        }
        return EDITED;
    }

    private Outcome killBackward(int from) {
        String text = line.substring(from, cursor);
        killed = lastWasKill ? text + killed : text;
        line.delete(from, cursor);
        cursor = from;
        return EDITED;
    }

    private Outcome killForward(int to) {
        String text = line.substring(cursor, to);
        killed = lastWasKill ? killed + text : text;
        line.delete(cursor, to);
        return EDITED;
    }

    private Outcome submit() {
        String text = line.toString();
        history.add(text);
        line.setLength(0);
        cursor = 0;
        historyIndex = -1;
        draft = "";
        scroll = 0;
        return new Submitted(text);
    }

    /** Moves through history: -1 to older entries, +1 back towards the line being written. */
    private Outcome historyStep(int direction) {
        int size = history.size();
        int index = historyIndex == -1 ? size : historyIndex;
        int next = index + direction;
        if (next < 0 || next > size || (historyIndex == -1 && direction > 0)) {
            return EDITED;
        }
        if (historyIndex == -1) {
            draft = line.toString();
        }
        historyIndex = next == size ? -1 : next;
        line.setLength(0);
        line.append(historyIndex == -1 ? draft : history.get(historyIndex));
        cursor = line.length();
        return EDITED;
    }

    private Outcome complete(Completion previous, int direction) {
        Completion next;
        if (previous != null) {
            int n = previous.candidates().size();
            int index = Math.floorMod(previous.index() + direction, n);
            next = new Completion(previous.start(), previous.candidates(), index, previous.end());
        } else {
            int start = whitespaceWordStartFrom(cursor);
            List<String> candidates = completer.complete(line.toString(), start, cursor);
            if (candidates.isEmpty()) {
                return EDITED;
            }
            int index = direction > 0 ? 0 : candidates.size() - 1;
            next = new Completion(start, List.copyOf(candidates), index, cursor);
        }
        String replacement = Sanitizer.clean(next.candidates().get(next.index()), false);
        line.replace(next.start(), next.end(), replacement);
        cursor = next.start() + replacement.length();
        completion = new Completion(next.start(), next.candidates(), next.index(), cursor);
        return EDITED;
    }

    private int whitespaceWordStart() {
        int i = cursor;
        while (i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
            i--;
        }
        return whitespaceWordStartFrom(i);
    }

    private int whitespaceWordStartFrom(int from) {
        int i = from;
        while (i > 0 && !Character.isWhitespace(line.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private boolean isWordChar(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || DisplayWidth.isZeroWidth(codePoint);
    }

    /** Start of the word before the cursor (Emacs backward-word). */
    private int wordStart() {
        int i = cursor;
        while (i > 0 && !isWordChar(Character.codePointBefore(line, i))) {
            i -= Character.charCount(Character.codePointBefore(line, i));
        }
        while (i > 0 && isWordChar(Character.codePointBefore(line, i))) {
            i -= Character.charCount(Character.codePointBefore(line, i));
        }
        return i;
    }

    /** End of the word after the cursor (Emacs forward-word). */
    private int wordEnd() {
        int i = cursor;
        while (i < line.length() && !isWordChar(Character.codePointAt(line, i))) {
            i += Character.charCount(Character.codePointAt(line, i));
        }
        while (i < line.length() && isWordChar(Character.codePointAt(line, i))) {
            i += Character.charCount(Character.codePointAt(line, i));
        }
        return i;
    }

    /**
     * The part of the line to show in a field {@code width} columns wide. The line scrolls
     * sideways to keep the cursor in view, with some context on the side it moves towards; a wide
     * character cut by the left edge shows as a blank.
     */
    public View view(int width) {
        if (width < 1) {
            return new View("", 0);
        }
        int col = cursorColumn();
        int total = DisplayWidth.of(line);
        if (total < width) {
            scroll = 0;
        } else if (col < scroll) {
            scroll = Math.max(0, col - width / 4);
        } else if (col >= scroll + width) {
            scroll = col - width * 3 / 4;
        }
        var out = new StringBuilder();
        int at = 0;
        for (int i = 0; i < line.length(); ) {
            int end = DisplayWidth.clusterEnd(line, i);
            int w = DisplayWidth.clusterWidth(line, i);
            if (at + w > scroll + width) {
                break;
            }
            if (at >= scroll) {
                out.append(line, i, end);
            } else if (at + w > scroll) {
                out.append(" ".repeat(at + w - scroll));
            }
            at += w;
            i = end;
        }
        return new View(out.toString(), col - scroll);
    }
}
