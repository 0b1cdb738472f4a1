package crumbhub.client.tui.input;

import java.util.List;

/** Supplies Tab completions to a {@link LineEditor}. Called on the UI thread; must not block. */
@FunctionalInterface
public interface Completer {
    /** Completes nothing. */
    Completer NONE = (line, wordStart, cursor) -> List.of();

    /**
     * Returns the replacements for {@code line.substring(wordStart, cursor)}, best first, each the
     * whole text to put there including any suffix (a space after a command, {@code ": "} after a
     * nick at the start of the line). An empty list means there is nothing to complete.
     */
    List<String> complete(String line, int wordStart, int cursor);
}
