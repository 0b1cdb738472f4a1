package crumbhub.client.tui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatStateTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final ConversationId RANDOM = ConversationId.room("random");
    private static final ConversationId BOB = ConversationId.direct("bob");
    private final ChatState state = new ChatState(100, Clock.fixed(T, ZoneOffset.UTC));
    private int ids;

    @BeforeEach
    void session() {
        state.apply(new UiEvent.SessionInfo("example.org:5555", "Me"));
        state.apply(new UiEvent.ConversationOpened(GENERAL, true));
        state.apply(new UiEvent.ConversationOpened(RANDOM, false));
    }

    private boolean receive(ConversationId where, String from, String text) {
        return state.apply(new UiEvent.MessageReceived(ChatMessage.text("id" + (++ids), where, from, T, text)));
    }

    @Test
    void conversationsAreOrderedStatusRoomsThenDirect() {
        state.apply(new UiEvent.ConversationOpened(BOB, false));
        state.apply(new UiEvent.ConversationOpened(ConversationId.room("alpha"), false));
        assertThat(state.conversations().stream().map(c -> c.id().label()))
                .containsExactly("status", "#alpha", "#general", "#random", "@bob");
    }

    @Test
    void messagesInOtherConversationsCountAsUnreadUntilFocused() {
        assertThat(receive(RANDOM, "alice", "hello")).isFalse();
        receive(RANDOM, "alice", "anyone?");
        var random = state.find(RANDOM).orElseThrow();
        assertThat(random.unread()).isEqualTo(2);
        assertThat(random.highlight()).isFalse();
        receive(GENERAL, "alice", "here");
        assertThat(state.current().unread()).isZero();
        state.focus(RANDOM);
        assertThat(random.unread()).isZero();
    }

    @Test
    void aMentionRingsTheBellAndHighlights() {
        assertThat(receive(RANDOM, "alice", "ping me: are you there")).isTrue();
        assertThat(state.find(RANDOM).orElseThrow().highlight()).isTrue();
        assertThat(receive(GENERAL, "alice", "me, too")).as("also where the user is looking").isTrue();
        assertThat(receive(GENERAL, "alice", "memes and mentee")).isFalse();
    }

    @Test
    void aDirectMessageRingsOnlyWhenNotFocused() {
        assertThat(receive(BOB, "bob", "psst")).isTrue();
        assertThat(state.find(BOB).orElseThrow().highlight()).isTrue();
        state.focus(BOB);
        assertThat(receive(BOB, "bob", "still there?")).isFalse();
    }

    @Test
    void ownMessagesNeitherRingNorCount() {
        assertThat(receive(RANDOM, "me", "me me me")).isFalse();
        assertThat(state.find(RANDOM).orElseThrow().unread()).isZero();
    }

    @Test
    void aMessageToAnUnknownConversationOpensIt() {
        receive(ConversationId.direct("carol"), "carol", "hi");
        assertThat(state.find(ConversationId.direct("carol"))).isPresent();
    }

    @Test
    void pendingMessagesAreCountedUntilDelivered() {
        state.apply(new UiEvent.MessageReceived(new ChatMessage("p1", GENERAL, "me", T, "a", ChatMessage.Kind.TEXT, true)));
        state.apply(new UiEvent.MessageReceived(new ChatMessage("p2", GENERAL, "me", T, "b", ChatMessage.Kind.TEXT, true)));
        assertThat(state.pendingCount()).isEqualTo(2);
        state.apply(new UiEvent.MessageDelivered(GENERAL, "p1"));
        assertThat(state.pendingCount()).isEqualTo(1);
        assertThat(state.current().scrollback().find("p1").orElseThrow().message().pending()).isFalse();
        assertThat(state.current().scrollback().find("p2").orElseThrow().message().pending()).isTrue();
    }

    @Test
    void theSameIdReplacesTheEarlierMessage() {
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("x", GENERAL, "alice", T, "first")));
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("x", GENERAL, "alice", T, "second")));
        assertThat(state.current().scrollback().size()).isEqualTo(1);
        assertThat(state.current().scrollback().get(0).message().text()).isEqualTo("second");
    }

    @Test
    void untrustedTextIsSanitized() {
        receive(GENERAL, "eve\u001B[31m", "hi\u001B[2J there");
        var m = state.current().scrollback().get(0).message();
        assertThat(m.from()).doesNotContain("\u001B");
        assertThat(m.text()).isEqualTo("hi\uFFFD[2J there");
    }

    @Test
    void closingTheCurrentConversationFocusesTheOneAbove() {
        state.focus(RANDOM);
        state.apply(new UiEvent.ConversationClosed(RANDOM));
        assertThat(state.current().id()).isEqualTo(GENERAL);
        state.close(ConversationId.STATUS);
        assertThat(state.find(ConversationId.STATUS)).isPresent();
    }

    @Test
    void cyclingWrapsAndNumbersSelect() {
        state.cycle(1);
        assertThat(state.current().id()).isEqualTo(RANDOM);
        state.cycle(1);
        assertThat(state.current().id()).isEqualTo(ConversationId.STATUS);
        state.cycle(-1);
        assertThat(state.current().id()).isEqualTo(RANDOM);
        state.focusIndex(1);
        assertThat(state.current().id()).isEqualTo(GENERAL);
        state.focusIndex(7);
        assertThat(state.current().id()).isEqualTo(GENERAL);
    }

    @Test
    void nextActiveGoesToHighlightsFirst() {
        receive(RANDOM, "alice", "plain");
        receive(BOB, "bob", "direct");
        state.focusNextActive();
        assertThat(state.current().id()).isEqualTo(BOB);
        state.focusNextActive();
        assertThat(state.current().id()).isEqualTo(RANDOM);
    }

    @Test
    void connectionChangesAreLoggedInTheStatusWindowOnce() {
        var lines = new ArrayList<String>();
        state.onLine(m -> lines.add(m.conversation().label() + " " + m.text()));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connecting(1)));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connected()));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connected()));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Offline(Optional.empty(), "reset")));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Offline(Optional.of(T), "reset")));
        assertThat(lines).containsExactly("status connected to example.org:5555", "status offline: reset");
    }

    @Test
    void membersAndTopicAreKeptAndShownWhenAsked() {
        var lines = new ArrayList<String>();
        state.onLine(m -> lines.add(m.text()));
        state.apply(new UiEvent.MembersChanged(GENERAL, List.of("alice", "bob"), false));
        state.apply(new UiEvent.MembersChanged(GENERAL, List.of("alice", "bob", "me"), true));
        state.apply(new UiEvent.TopicChanged(GENERAL, "hello"));
        state.apply(new UiEvent.TopicChanged(GENERAL, "hello"));
        assertThat(state.current().members()).containsExactly("alice", "bob", "me");
        assertThat(state.current().topic()).isEqualTo("hello");
        assertThat(lines).containsExactly("members of #general (3): alice, bob, me", "topic: hello");
    }

    @Test
    void scrollbackIsBounded() {
        for (int i = 0; i < 250; i++) {
            receive(GENERAL, "alice", "m" + i);
        }
        assertThat(state.current().scrollback().size()).isLessThanOrEqualTo(100);
        assertThat(state.current().scrollback().get(state.current().scrollback().size() - 1).message().text()).isEqualTo("m249");
    }

    @Test
    void mentionNeedsAWholeWord() {
        assertThat(ChatState.mentions("hey bob.", "bob")).isTrue();
        assertThat(ChatState.mentions("@BOB hi", "bob")).isTrue();
        assertThat(ChatState.mentions("bobby", "bob")).isFalse();
        assertThat(ChatState.mentions("bob_2", "bob")).isFalse();
        assertThat(ChatState.mentions("x", "")).isFalse();
    }

    @Test
    void historyIsShownWithoutUnreadCountsBellOrPrintedLines() {
        var printed = new ArrayList<ChatMessage>();
        state.onLine(printed::add);
        var old = List.of(ChatMessage.text("h1", BOB, "bob", T.minusSeconds(60), "me: remember this?"),
                new ChatMessage("h2", BOB, "me", T.minusSeconds(30), "yes", ChatMessage.Kind.TEXT, true));
        assertThat(state.apply(new UiEvent.HistoryLoaded(BOB, old))).isFalse();
        var bob = state.find(BOB).orElseThrow();
        assertThat(bob.unread()).isZero();
        assertThat(bob.highlight()).isFalse();
        assertThat(bob.scrollback().size()).isEqualTo(2);
        assertThat(bob.recentSpeakers()).containsExactly("bob");
        assertThat(state.pendingCount()).isEqualTo(1);
        assertThat(printed).isEmpty();
        // a live message with the same id as a history line replaces it
        state.apply(new UiEvent.MessageDelivered(BOB, "h2"));
        assertThat(state.pendingCount()).isZero();
    }

    @Test
    void aConnectionFailingTheSameWayAgainAndAgainIsReportedOnce() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connecting(attempt)));
            state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Offline(Optional.empty(), "refused")));
        }
        var status = state.find(ConversationId.STATUS).orElseThrow().scrollback();
        long lines = java.util.stream.IntStream.range(0, status.size())
                .filter(i -> status.get(i).message().text().equals("offline: refused")).count();
        assertThat(lines).isEqualTo(1);
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connected()));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Offline(Optional.empty(), "refused")));
        long after = java.util.stream.IntStream.range(0, status.size())
                .filter(i -> status.get(i).message().text().equals("offline: refused")).count();
        assertThat(after).isEqualTo(2);
    }
}
