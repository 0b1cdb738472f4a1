package crumbhub.client.tui.chat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.tui.text.StyledLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A conversation's messages in time order, bounded to {@code limit} (the oldest go first), with
 * a slot per message for its rows laid out at some width. Rows are computed only for messages
 * that get drawn and kept until the width changes, so a frame costs the same with ten messages or
 * ten thousand. UI thread only.
 */
public final class Scrollback {
    /** A message and its cached layout. */
    public static final class Entry {
        private ChatMessage message;
        private int layoutWidth = -1;
        private List<StyledLine> rows = List.of();

        Entry(ChatMessage message) {
            this.message = message;
        }

        public ChatMessage message() {
            return message;
        }

        /** The rows cached for {@code width}, if any. */
        public Optional<List<StyledLine>> rows(int width) {
            return layoutWidth == width ? Optional.of(rows) : Optional.empty();
        }

        public void cache(int width, List<StyledLine> laidOut) {
            layoutWidth = width;
            rows = List.copyOf(laidOut);
        }

        void invalidate() {
            layoutWidth = -1;
            rows = List.of();
        }
    }

    private int limit;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byId = new HashMap<>();
    private int lastIndex = -1;

    public Scrollback(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("scrollback limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    public int size() {
        return entries.size();
    }

    /** Keeps {@code more} messages more: older lines read back on request are not trimmed at once. */
    public void grow(int more) {
        limit = (int) Math.min(Integer.MAX_VALUE, (long) limit + Math.max(0, more));
    }

    public Entry get(int index) {
        return entries.get(index);
    }

    public Optional<Entry> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Adds a message in time order (usually at the end), or replaces the one with the same id.
     * Returns whether the message is new.
     */
    public boolean add(ChatMessage message) {
        Entry existing = byId.get(message.id());
        if (existing != null) {
            existing.message = message;
            existing.invalidate();
            return false;
        }
        var entry = new Entry(message);
        int at = entries.size();
        while (at > 0 && entries.get(at - 1).message.time().isAfter(message.time())) {
            at--;
        }
        entries.add(at, entry);
        byId.put(message.id(), entry);
        if (at + 1 < entries.size()) {
            // the next message's day separator may change
            entries.get(at + 1).invalidate();
        }
        if (entries.size() > limit) {
            // drop a tenth at once so that trimming stays cheap
            int drop = Math.max(1, limit / 10);
            for (Entry old : entries.subList(0, drop)) {
                byId.remove(old.message.id());
            }
            entries.subList(0, drop).clear();
            if (!entries.isEmpty()) {
                entries.getFirst().invalidate();
            }
            lastIndex = -1;
        }
        return true;
    }

    /** Index of {@code entry}, or -1 if it is gone; fast for the entry looked up last. */
    public int indexOf(Entry entry) {
        if (lastIndex >= 0 && lastIndex < entries.size() && entries.get(lastIndex) == entry) {
            return lastIndex;
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) == entry) {
                lastIndex = i;
                return i;
            }
        }
        return -1;
    }

    /** Forgets every cached layout (the theme or the time zone changed). */
    public void invalidateAll() {
        entries.forEach(Entry::invalidate);
    }
}
