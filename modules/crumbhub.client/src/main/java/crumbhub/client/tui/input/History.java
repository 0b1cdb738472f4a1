package crumbhub.client.tui.input;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines the user sent, oldest first, bounded to {@code limit} entries so that a long session does
 * not grow without end. Blank lines and a repeat of the newest entry are not recorded.
 */
public final class History {
    private final int limit;
    private final List<String> entries = new ArrayList<>();

    public History(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("history limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    public void add(String line) {
        if (line.isBlank() || (!entries.isEmpty() && entries.getLast().equals(line))) {
            return;
        }
        if (entries.size() == limit) {
            entries.removeFirst();
        }
        entries.add(line);
    }

    public int size() {
        return entries.size();
    }

    /** Entry {@code index}, 0 being the oldest. */
    public String get(int index) {
        return entries.get(index);
    }
}
