package crumbhub.client.tui.view;

import crumbhub.client.tui.chat.Conversation;
import crumbhub.client.tui.chat.Conversation.ScrollPosition;
import crumbhub.client.tui.chat.Scrollback;
import crumbhub.client.tui.text.StyledLine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The message pane of one conversation: which rows are visible, and scrolling. Walks the
 * scrollback from the bottom of the view upwards and lays out only the messages it meets, using
 * each message's cached rows, so its cost depends on the pane's height, not on the scrollback's
 * length. UI thread only.
 */
public final class MessagePane {
    private final MessageFormatter formatter;
    private String ownUser = "";

    public MessagePane(MessageFormatter formatter) {
        this.formatter = formatter;
    }

    /** The user's name, for highlighting mentions and their own nick. */
    public void ownUser(String user) {
        ownUser = user;
    }

    /** The rows of message {@code index} at {@code width}, from the cache or laid out now. */
    public List<StyledLine> rows(Scrollback scrollback, int index, int width) {
        Scrollback.Entry entry = scrollback.get(index);
        var cached = entry.rows(width);
        if (cached.isPresent()) {
            return cached.get();
        }
        boolean separator = index == 0
                || !formatter.sameDay(scrollback.get(index - 1).message(), entry.message());
        var rows = formatter.layout(entry.message(), separator, width, ownUser);
        entry.cache(width, rows);
        return entry.rows(width).orElseThrow();
    }

    /** The rows to show, top to bottom, at most {@code height} of them. */
    public List<StyledLine> visible(Conversation conversation, int width, int height) {
        Scrollback sb = conversation.scrollback();
        if (sb.size() == 0 || height <= 0 || width <= 0) {
            return List.of();
        }
        int index = sb.size() - 1;
        int below = 0;
        var position = conversation.scroll();
        if (position.isPresent()) {
            int at = sb.indexOf(position.get().entry());
            if (at < 0) {
                conversation.follow();
            } else {
                index = at;
                below = position.get().rowsBelow();
            }
        }
        var upward = new ArrayList<StyledLine>(height);
        while (index >= 0 && upward.size() < height) {
            List<StyledLine> rows = rows(sb, index, width);
            int last = rows.size() - 1 - Math.min(below, rows.size() - 1);
            for (int r = last; r >= 0 && upward.size() < height; r--) {
                upward.add(rows.get(r));
            }
            below = 0;
            index--;
        }
        Collections.reverse(upward);
        return upward;
    }

    /** Scrolls towards older messages by {@code count} rows, stopping at the first message. */
    public void scrollUp(Conversation conversation, int count, int width, int height) {
        Scrollback sb = conversation.scrollback();
        if (sb.size() == 0 || width <= 0 || height <= 0) {
            return;
        }
        int index = sb.size() - 1;
        int below = 0;
        var position = conversation.scroll();
        if (position.isPresent() && sb.indexOf(position.get().entry()) >= 0) {
            index = sb.indexOf(position.get().entry());
            below = position.get().rowsBelow();
        }
        below += count;
        while (index >= 0 && below >= rows(sb, index, width).size()) {
            below -= rows(sb, index, width).size();
            index--;
        }
        if (index < 0 || rowsAbove(sb, index, below, width, height) < height) {
            scrollToTop(conversation, width, height);
        } else {
            conversation.scrollTo(new ScrollPosition(sb.get(index), below));
        }
    }

    /** Scrolls towards newer messages by {@code count} rows; reaching the end follows new messages again. */
    public void scrollDown(Conversation conversation, int count, int width) {
        Scrollback sb = conversation.scrollback();
        var position = conversation.scroll();
        if (position.isEmpty() || width <= 0) {
            return;
        }
        int index = sb.indexOf(position.get().entry());
        if (index < 0) {
            conversation.follow();
            return;
        }
        int below = position.get().rowsBelow() - count;
        while (below < 0 && index < sb.size() - 1) {
            index++;
            below += rows(sb, index, width).size();
        }
        if (index == sb.size() - 1 && below <= 0) {
            conversation.follow();
        } else {
            conversation.scrollTo(new ScrollPosition(sb.get(index), Math.max(0, below)));
        }
    }

    /** Whether the first line of the scrollback is on screen (scrolling back further needs older history). */
    public boolean showsFirst(Conversation conversation, int width, int height) {
        Scrollback sb = conversation.scrollback();
        if (sb.size() == 0 || width <= 0 || height <= 0) {
            return true;
        }
        int index = sb.size() - 1;
        int below = 0;
        var position = conversation.scroll();
        if (position.isPresent() && sb.indexOf(position.get().entry()) >= 0) {
            index = sb.indexOf(position.get().entry());
            below = position.get().rowsBelow();
        }
        return rowsAbove(sb, index, below, width, height + 1) <= height;
    }

    /** Rows from the top of the scrollback down to the position, counting at most {@code enough}. */
    private int rowsAbove(Scrollback sb, int index, int below, int width, int enough) {
        int count = rows(sb, index, width).size() - below;
        for (int i = index - 1; i >= 0 && count < enough; i--) {
            count += rows(sb, i, width).size();
        }
        return count;
    }

    private void scrollToTop(Conversation conversation, int width, int height) {
        Scrollback sb = conversation.scrollback();
        int total = 0;
        for (int i = 0; i < sb.size(); i++) {
            int r = rows(sb, i, width).size();
            if (total + r >= height) {
                if (i == sb.size() - 1 && total + r == height) {
                    conversation.follow();
                } else {
                    conversation.scrollTo(new ScrollPosition(sb.get(i), total + r - height));
                }
                return;
            }
            total += r;
        }
        conversation.follow();
    }
}
