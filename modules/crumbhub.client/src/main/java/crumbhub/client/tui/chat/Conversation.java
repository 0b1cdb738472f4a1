package crumbhub.client.tui.chat;

import crumbhub.client.model.ConversationId;
import crumbhub.client.model.Verification;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SequencedSet;

/** One window: its messages, unread state, members, topic, verification and scroll position. UI thread only. */
public final class Conversation {
    /** How many recent speakers are remembered for nick completion. */
    private static final int SPEAKERS = 64;

    /** Where the bottom of the message pane is when scrolled up: an entry and how many of its rows are below. */
    public record ScrollPosition(Scrollback.Entry entry, int rowsBelow) {
    }

    private final ConversationId id;
    private final Scrollback scrollback;
    private final SequencedSet<String> speakers = new LinkedHashSet<>();
    private int unread;
    private boolean highlight;
    private List<String> members = List.of();
    private String topic = "";
    private Verification verification = Verification.NONE;
    private ScrollPosition scroll;
    /** Whether older lines were asked of the session and not answered yet. */
    private boolean olderRequested;
    /** Whether the history has no older lines than those shown. */
    private boolean noOlder;

    Conversation(ConversationId id, int scrollbackLimit) {
        this.id = id;
        this.scrollback = new Scrollback(scrollbackLimit);
    }

    public ConversationId id() {
        return id;
    }

    public Scrollback scrollback() {
        return scrollback;
    }

    /**
     * Marks that older lines are asked for; false if they already are, or there are none (so a
     * held PageUp asks once).
     */
    public boolean requestOlder() {
        if (olderRequested || noOlder || id.equals(ConversationId.STATUS)) {
            return false;
        }
        olderRequested = true;
        return true;
    }

    void olderLoaded(boolean more) {
        olderRequested = false;
        noOlder = !more;
    }

    public int unread() {
        return unread;
    }

    /** Unread messages include a mention of the user, or this is a direct conversation with unread messages. */
    public boolean highlight() {
        return highlight;
    }

    void markUnread(boolean important) {
        unread++;
        highlight |= important;
    }

    void markRead() {
        unread = 0;
        highlight = false;
    }

    public List<String> members() {
        return members;
    }

    void members(List<String> names) {
        members = List.copyOf(names);
    }

    void spoke(String user) {
        speakers.remove(user);
        speakers.addLast(user);
        if (speakers.size() > SPEAKERS) {
            speakers.removeFirst();
        }
    }

    /** Users who wrote here recently, most recent first. */
    public List<String> recentSpeakers() {
        return new ArrayList<>(speakers.reversed());
    }

    public String topic() {
        return topic;
    }

    void topic(String text) {
        topic = text;
    }

    public Verification verification() {
        return verification;
    }

    void verification(Verification state) {
        verification = state;
    }

    /** Where the view is when scrolled up; empty while following the newest messages. */
    public Optional<ScrollPosition> scroll() {
        return Optional.ofNullable(scroll);
    }

    public void scrollTo(ScrollPosition position) {
        scroll = java.util.Objects.requireNonNull(position, "position");
    }

    /** Back to following the newest messages. */
    public void follow() {
        scroll = null;
    }
}
