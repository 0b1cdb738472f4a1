package crumbhub.client.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.chat.Conversation;
import crumbhub.client.tui.text.StyledLine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagePaneTest {
    private static final ConversationId ROOM = ConversationId.room("room");
    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
    private final MessagePane pane = new MessagePane(new MessageFormatter(new Theme(false), ZoneOffset.UTC));
    private final ChatState state = new ChatState(50_000, Scenes.CLOCK);

    private Conversation room(int messages) {
        for (int i = 0; i < messages; i++) {
            add(i);
        }
        state.focus(ROOM);
        return state.current();
    }

    private void add(int i) {
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("m" + i, ROOM, "bob", START.plusSeconds(i), "message " + i)));
    }

    private static List<String> text(List<StyledLine> rows) {
        return rows.stream().map(StyledLine::text).toList();
    }

    @Test
    void followsTheNewestMessages() {
        var c = room(100);
        assertThat(text(pane.visible(c, 40, 3))).containsExactly(
                "08:01 <bob> message 97", "08:01 <bob> message 98", "08:01 <bob> message 99");
    }

    @Test
    void fewMessagesStartAtTheTop() {
        var c = room(2);
        assertThat(text(pane.visible(c, 40, 5))).containsExactly(
                "--- Thursday 26 November 2026 ---", "08:00 <bob> message 0", "08:00 <bob> message 1");
    }

    @Test
    void pageUpAndPageDownMoveByRowsAndComeBackToFollowing() {
        var c = room(100);
        pane.scrollUp(c, 4, 40, 5);
        assertThat(c.scroll()).isPresent();
        assertThat(text(pane.visible(c, 40, 5)).getLast()).isEqualTo("08:01 <bob> message 95");
        pane.scrollUp(c, 4, 40, 5);
        assertThat(text(pane.visible(c, 40, 5)).getLast()).isEqualTo("08:01 <bob> message 91");
        pane.scrollDown(c, 4, 40);
        assertThat(text(pane.visible(c, 40, 5)).getLast()).isEqualTo("08:01 <bob> message 95");
        pane.scrollDown(c, 4, 40);
        assertThat(c.scroll()).isEmpty();
        assertThat(text(pane.visible(c, 40, 5)).getLast()).isEqualTo("08:01 <bob> message 99");
        pane.scrollDown(c, 4, 40);
        assertThat(c.scroll()).isEmpty();
    }

    @Test
    void scrollingStopsAtTheFirstMessage() {
        var c = room(20);
        for (int i = 0; i < 10; i++) {
            pane.scrollUp(c, 4, 40, 5);
        }
        assertThat(text(pane.visible(c, 40, 5))).containsExactly("--- Thursday 26 November 2026 ---",
                "08:00 <bob> message 0", "08:00 <bob> message 1", "08:00 <bob> message 2", "08:00 <bob> message 3");
    }

    @Test
    void scrollingWhenEverythingFitsStaysFollowing() {
        var c = room(2);
        pane.scrollUp(c, 4, 40, 5);
        assertThat(c.scroll()).isEmpty();
    }

    @Test
    void newMessagesDoNotMoveAScrolledView() {
        var c = room(100);
        pane.scrollUp(c, 10, 40, 5);
        var before = text(pane.visible(c, 40, 5));
        add(100);
        add(101);
        assertThat(text(pane.visible(c, 40, 5))).isEqualTo(before);
    }

    @Test
    void scrollingCountsWrappedRows() {
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("long", ROOM, "bob", START,
                "one two three four five six seven eight nine ten")));
        for (int i = 1; i <= 3; i++) {
            add(i);
        }
        state.focus(ROOM);
        var c = state.current();
        pane.scrollUp(c, 3, 30, 3);
        assertThat(text(pane.visible(c, 30, 3))).containsExactly(
                "08:00 <bob> one two three four", "            five six seven", "            eight nine ten");
        pane.scrollUp(c, 1, 30, 3);
        assertThat(text(pane.visible(c, 30, 3))).containsExactly(
                "--- Thursday 26 November 2026 ---", "08:00 <bob> one two three four",
                "            five six seven");
    }

    @Test
    void scrollingAPaneWithNoRoomDoesNothing() {
        var c = room(10);
        pane.scrollUp(c, 1, 0, 0);
        pane.scrollDown(c, 1, 0);
        assertThat(c.scroll()).isEmpty();
        assertThat(pane.visible(c, 0, 0)).isEmpty();
    }

    @Test
    void onlyVisibleMessagesAreLaidOut() {
        var c = room(10_000);
        pane.visible(c, 80, 40);
        var sb = c.scrollback();
        assertThat(sb.get(sb.size() - 1).rows(80)).isPresent();
        assertThat(sb.get(sb.size() - 41).rows(80)).isEmpty();
        assertThat(sb.get(0).rows(80)).isEmpty();
    }

    @Test
    void aNewWidthLaysOutAgain() {
        var c = room(1);
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("w", ROOM, "bob", START.plusSeconds(5),
                "alpha beta gamma delta")));
        assertThat(text(pane.visible(c, 40, 10)).getLast()).isEqualTo("08:00 <bob> alpha beta gamma delta");
        assertThat(text(pane.visible(c, 24, 10)).subList(2, 4))
                .containsExactly("08:00 <bob> alpha beta", "            gamma delta");
    }

    @Test
    void daySeparatorsAppearWhenTheDateChanges() {
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("a", ROOM, "bob", Instant.parse("2026-11-25T23:59:00Z"), "late")));
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("b", ROOM, "bob", Instant.parse("2026-11-26T00:01:00Z"), "early")));
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("c", ROOM, "bob", Instant.parse("2026-11-26T00:02:00Z"), "again")));
        state.focus(ROOM);
        assertThat(text(pane.visible(state.current(), 40, 10))).containsExactly(
                "--- Wednesday 25 November 2026 ---", "23:59 <bob> late",
                "--- Thursday 26 November 2026 ---", "00:01 <bob> early", "00:02 <bob> again");
    }

    @Test
    void aMessageArrivingOutOfOrderTakesItsPlaceAndFixesSeparators() {
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("b", ROOM, "bob", Instant.parse("2026-11-26T00:01:00Z"), "early")));
        state.focus(ROOM);
        pane.visible(state.current(), 40, 10);
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("a", ROOM, "bob", Instant.parse("2026-11-25T23:59:00Z"), "late")));
        assertThat(text(pane.visible(state.current(), 40, 10))).containsExactly(
                "--- Wednesday 25 November 2026 ---", "23:59 <bob> late",
                "--- Thursday 26 November 2026 ---", "00:01 <bob> early");
    }
}
