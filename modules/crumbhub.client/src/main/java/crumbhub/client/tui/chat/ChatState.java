package crumbhub.client.tui.chat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.Verification;
import crumbhub.client.tui.text.Sanitizer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Everything the UI shows, kept by the UI thread: the open conversations (status window first,
 * then rooms, then direct conversations, each by name), which one is current, who the user is,
 * the connection state and the messages still pending. Session events are applied with
 * {@link #apply}; front ends read the rest. UI thread only.
 */
public final class ChatState {
    private final int scrollbackLimit;
    private final Clock clock;
    private final TreeMap<ConversationId, Conversation> conversations = new TreeMap<>();
    private final Set<String> pending = new HashSet<>();
    private Conversation current;
    private String server = "";
    private String user = "";
    private ConnectionState connection = new ConnectionState.Offline(Optional.empty(), "not connected yet");
    private Consumer<ChatMessage> lineListener = message -> { };
    private long localIds;
    private String lastOfflineReason;
    /** Where the times of search results are shown. */
    private java.time.ZoneId zone;
    /** The results of the last {@code /search}, numbered from 1 by {@code /goto}. */
    private List<ChatMessage> searchHits = List.of();
    /** A {@code /goto} waiting for older lines: conversation label and message id. */
    private String expectedJump;
    /** Longest text of a search result line before it is cut. */
    private static final int RESULT_TEXT = 160;

    public ChatState(int scrollbackLimit, Clock clock) {
        this.scrollbackLimit = scrollbackLimit;
        this.clock = clock;
        this.zone = clock.getZone();
        this.current = open(ConversationId.STATUS);
    }

    /** The zone the times of search results are shown in (the chat's, default the clock's). */
    public void zone(java.time.ZoneId z) {
        zone = java.util.Objects.requireNonNull(z, "zone");
    }

    /** Called for every line added to any conversation (the line mode prints them). */
    public void onLine(Consumer<ChatMessage> listener) {
        lineListener = listener;
    }

    public Clock clock() {
        return clock;
    }

    public String server() {
        return server;
    }

    public String user() {
        return user;
    }

    public ConnectionState connection() {
        return connection;
    }

    public int pendingCount() {
        return pending.size();
    }

    public List<Conversation> conversations() {
        return new ArrayList<>(conversations.values());
    }

    public Conversation current() {
        return current;
    }

    public Optional<Conversation> find(ConversationId id) {
        return Optional.ofNullable(conversations.get(id));
    }

    /** Opens a conversation if it is not open yet. */
    public Conversation open(ConversationId id) {
        return conversations.computeIfAbsent(id, k -> new Conversation(k, scrollbackLimit));
    }

    /** Closes a conversation; the status window stays. The neighbour above becomes current. */
    public void close(ConversationId id) {
        if (id.equals(ConversationId.STATUS) || !conversations.containsKey(id)) {
            return;
        }
        ConversationId before = conversations.lowerKey(id);
        conversations.remove(id);
        if (current.id().equals(id)) {
            focus(before == null ? ConversationId.STATUS : before);
        }
    }

    public void focus(ConversationId id) {
        current = open(id);
        current.markRead();
    }

    /** Focuses the conversation at {@code index} in list order (0 = status), if there is one. */
    public void focusIndex(int index) {
        var list = conversations();
        if (index >= 0 && index < list.size()) {
            focus(list.get(index).id());
        }
    }

    /** Focuses the next (+1) or previous (-1) conversation, wrapping around. */
    public void cycle(int direction) {
        var list = conversations();
        int at = list.indexOf(current);
        focus(list.get(Math.floorMod(at + direction, list.size())).id());
    }

    /** Focuses the next conversation with unread messages, highlighted ones first. */
    public void focusNextActive() {
        var list = conversations();
        int at = list.indexOf(current);
        for (boolean highlightOnly : new boolean[] {true, false}) {
            for (int k = 1; k < list.size(); k++) {
                Conversation c = list.get((at + k) % list.size());
                if (c.unread() > 0 && (!highlightOnly || c.highlight())) {
                    focus(c.id());
                    return;
                }
            }
        }
    }

    /** Adds a line from the client itself; to the current conversation if {@code where} is empty. */
    public void notice(Optional<ConversationId> where, String text, boolean error) {
        ConversationId id = where.orElse(current.id());
        var message = new ChatMessage("local-" + (++localIds), id, "", clock.instant(),
                Sanitizer.clean(text, true), error ? ChatMessage.Kind.ERROR : ChatMessage.Kind.NOTICE, false);
        addLine(open(id), message);
    }

    /** Applies a session event. Returns true if it should ring the bell. */
    public boolean apply(UiEvent event) {
        return switch (event) {
            case UiEvent.SessionInfo info -> {
                server = Sanitizer.clean(info.server(), false);
                user = Sanitizer.clean(info.user(), false).toLowerCase(Locale.ROOT);
                yield false;
            }
            case UiEvent.ConnectionChanged change -> {
                connectionChanged(change.state());
                yield false;
            }
            case UiEvent.MessageReceived received -> received(received.message());
            case UiEvent.HistoryLoaded history -> {
                loaded(open(history.conversation()), history.messages());
                yield false;
            }
            case UiEvent.OlderLoaded older -> {
                Conversation c = open(older.conversation());
                c.scrollback().grow(older.messages().size());
                loaded(c, older.messages());
                c.olderLoaded(older.more());
                String key = pendingKey(c.id(), "");
                if (expectedJump != null && expectedJump.startsWith(key)) {
                    String id = expectedJump.substring(key.length());
                    expectedJump = null;
                    if (!jumpTo(c.id(), id)) {
                        notice(Optional.of(c.id()), "that message is no longer in the history", true);
                    }
                }
                yield false;
            }
            case UiEvent.SearchResults results -> {
                searchResults(results);
                yield false;
            }
            case UiEvent.MessageDelivered delivered -> {
                find(delivered.conversation()).flatMap(c -> c.scrollback().find(delivered.messageId()))
                        .ifPresent(entry -> open(delivered.conversation()).scrollback().add(entry.message().asPending(false)));
                pending.remove(pendingKey(delivered.conversation(), delivered.messageId()));
                yield false;
            }
            case UiEvent.ConversationOpened opened -> {
                open(opened.conversation());
                if (opened.focus()) {
                    focus(opened.conversation());
                }
                yield false;
            }
            case UiEvent.ConversationClosed closed -> {
                if (conversations.containsKey(closed.conversation())) {
                    close(closed.conversation());
                    notice(Optional.of(ConversationId.STATUS), "closed " + closed.conversation().label(), false);
                }
                yield false;
            }
            case UiEvent.MembersChanged members -> {
                Conversation c = open(members.conversation());
                c.members(members.members().stream().map(m -> Sanitizer.clean(m, false)).toList());
                if (members.show()) {
                    notice(Optional.of(c.id()), "members of " + c.id().label() + " (" + c.members().size() + "): "
                            + String.join(", ", c.members()), false);
                }
                yield false;
            }
            case UiEvent.TopicChanged topic -> {
                Conversation c = open(topic.conversation());
                String text = Sanitizer.clean(topic.topic(), false);
                if (!text.equals(c.topic())) {
                    c.topic(text);
                    notice(Optional.of(c.id()), "topic: " + (text.isEmpty() ? "(none)" : text), false);
                }
                yield false;
            }
            case UiEvent.VerificationChanged change -> {
                Conversation c = open(change.conversation());
                Verification before = c.verification();
                c.verification(change.verification());
                if (change.verification() == Verification.CHANGED && before != Verification.CHANGED) {
                    notice(Optional.of(c.id()), "the identity key behind " + c.id().label()
                            + " CHANGED. Compare safety numbers again: /verify", true);
                    yield true;
                }
                yield false;
            }
            case UiEvent.InfoLine info -> {
                notice(info.conversation(), info.text(), false);
                yield false;
            }
            case UiEvent.ErrorLine error -> {
                notice(error.conversation(), error.text(), true);
                yield false;
            }
        };
    }

    private void connectionChanged(ConnectionState state) {
        ConnectionState before = connection;
        connection = state;
        switch (state) {
            case ConnectionState.Connected c -> {
                lastOfflineReason = null;
                if (!(before instanceof ConnectionState.Connected)) {
                    notice(Optional.of(ConversationId.STATUS), "connected to " + server, false);
                }
            }
            case ConnectionState.Offline offline -> {
                // one line per reason while the connection stays down: retries with the same failure say nothing new
                if (!offline.reason().equals(lastOfflineReason)) {
                    lastOfflineReason = offline.reason();
                    notice(Optional.of(ConversationId.STATUS), "offline: " + offline.reason(), true);
                }
            }
            case ConnectionState.Connecting connecting -> {
                // shown in the status line only; a line per attempt would flood the status window
            }
        }
    }

    private static ChatMessage clean(ChatMessage raw) {
        return new ChatMessage(raw.id(), raw.conversation(), Sanitizer.clean(raw.from(), false)
                .toLowerCase(Locale.ROOT), raw.time(), Sanitizer.clean(raw.text(), true), raw.kind(), raw.pending());
    }

    private void trackPending(Conversation c, ChatMessage message) {
        String key = pendingKey(c.id(), message.id());
        if (message.pending()) {
            pending.add(key);
        } else {
            pending.remove(key);
        }
    }

    private boolean received(ChatMessage raw) {
        var message = clean(raw);
        Conversation c = open(message.conversation());
        trackPending(c, message);
        boolean isNew = c.scrollback().find(message.id()).isEmpty();
        addLine(c, message);
        if (!isNew || !message.fromSomeone() || message.from().equals(user)) {
            return false;
        }
        c.spoke(message.from());
        boolean mention = mentions(message.text(), user);
        boolean focused = c == current;
        if (!focused) {
            c.markUnread(mention || c.id().isDirect());
        }
        return mention || (c.id().isDirect() && !focused);
    }

    /** Lines read back from the history: shown, but not news. */
    private void loaded(Conversation c, List<ChatMessage> messages) {
        for (ChatMessage raw : messages) {
            ChatMessage message = clean(raw);
            trackPending(c, message);
            c.scrollback().add(message);
            if (message.fromSomeone() && !message.from().equals(user)) {
                c.spoke(message.from());
            }
        }
    }

    /** The last search's results, oldest first. */
    public List<ChatMessage> searchHits() {
        return searchHits;
    }

    /**
     * Scrolls {@code conversation} so that the message {@code id} is the bottom line; false if it
     * is not in the scrollback (older lines must be read first).
     */
    public boolean jumpTo(ConversationId conversation, String id) {
        Conversation c = open(conversation);
        var entry = c.scrollback().find(id);
        if (entry.isEmpty()) {
            return false;
        }
        if (c.scrollback().indexOf(entry.get()) == c.scrollback().size() - 1) {
            c.follow();
        } else {
            c.scrollTo(new Conversation.ScrollPosition(entry.get(), 0));
        }
        return true;
    }

    /** A jump that completes when older lines of {@code conversation} come ({@link UiEvent.OlderLoaded}). */
    public void expectJump(ConversationId conversation, String id) {
        expectedJump = pendingKey(conversation, id);
    }

    private void searchResults(UiEvent.SearchResults results) {
        searchHits = results.hits();
        String query = Sanitizer.clean(results.text(), false);
        if (searchHits.isEmpty()) {
            notice(Optional.empty(), "search \"" + query + "\": no messages", false);
            return;
        }
        notice(Optional.empty(), "search \"" + query + "\": " + searchHits.size() + " message"
                + (searchHits.size() == 1 ? "" : "s") + ", newest last; /goto N shows one", false);
        var when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        for (int k = 0; k < searchHits.size(); k++) {
            ChatMessage m = searchHits.get(k);
            String text = m.text().replace('\n', ' ');
            if (text.codePointCount(0, text.length()) > RESULT_TEXT) {
                text = text.substring(0, text.offsetByCodePoints(0, RESULT_TEXT)) + "…";
            }
            notice(Optional.empty(), String.format(Locale.ROOT, "%3d  %s  %s <%s> %s", k + 1, when.format(m.time()),
                    m.conversation().label(), m.from(), text), false);
        }
    }

    private void addLine(Conversation c, ChatMessage message) {
        c.scrollback().add(message);
        lineListener.accept(message);
    }

    private static String pendingKey(ConversationId id, String messageId) {
        return id.label() + '\u0000' + messageId;
    }

    /** Whether {@code text} names {@code user} as a whole word, ignoring case. */
    public static boolean mentions(String text, String user) {
        if (user.isEmpty()) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf(user); at >= 0; at = lower.indexOf(user, at + 1)) {
            int end = at + user.length();
            if ((at == 0 || !isNameChar(lower.charAt(at - 1))) && (end == lower.length() || !isNameChar(lower.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNameChar(char c) {
        // '.' is a name character but usually ends a sentence ("thanks bob."), so it is a boundary here
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
