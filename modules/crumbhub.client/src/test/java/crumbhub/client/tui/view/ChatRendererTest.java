package crumbhub.client.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.Verification;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.input.Completer;
import crumbhub.client.tui.input.History;
import crumbhub.client.tui.input.Key;
import crumbhub.client.tui.input.LineEditor;
import crumbhub.client.tui.term.ScreenBuffer;
import crumbhub.client.tui.text.Style;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatRendererTest {
    private final Theme theme = new Theme(true);
    private final ChatRenderer renderer = new ChatRenderer(theme, ZoneOffset.UTC);
    private final LineEditor editor = new LineEditor(Completer.NONE, new History(10));
    private ScreenBuffer screen;

    private String render(ChatState state, int width, int height) {
        screen = new ScreenBuffer(width, height);
        renderer.render(state, editor, screen, Scenes.NOW);
        return screen.dump();
    }

    @Test
    void wideTerminalShowsTitleListPaneStatusAndInput() {
        assertThat(render(Scenes.busy(), 72, 12)).isEqualTo("""
                 #general: Be kind
                 1 status       │--- Wednesday 25 November 2026 ---
                 2 #general     │23:50 <alice> good night
                 3 #random     1│--- Thursday 26 November 2026 ---
                 4 @alice     !1│09:00 <bob> morning all
                                │09:01 <me> hi bob
                                │09:02  * alice waves
                                │09:03 <alice> me: did you see the build? it is green
                                │              again after the fix
                                │14:05 -!- topic: Be kind
                 [14:05] [connected] [#general (3)] [me@chat.example.org:5555]
                [#general]
                """);
        assertThat(renderer.layout().mode()).isEqualTo(Layout.Mode.WIDE);
    }

    @Test
    void narrowTerminalPutsTheConversationsInATopBar() {
        assertThat(render(Scenes.busy(), 40, 10)).isEqualTo("""
                 1:status 2:#general 3:#random(1) 4:@ali
                09:00 <bob> morning all
                09:01 <me> hi bob
                09:02  * alice waves
                09:03 <alice> me: did you see the build?
                              it is green again after
                              the fix
                14:05 -!- topic: Be kind
                 [14:05] [connected] [#general (3)] [me@
                [#general]
                """);
        assertThat(renderer.layout().mode()).isEqualTo(Layout.Mode.NARROW);
    }

    @Test
    void resizingBackAndForthSwitchesLayouts() {
        var state = Scenes.busy();
        render(state, 100, 30);
        assertThat(renderer.layout().mode()).isEqualTo(Layout.Mode.WIDE);
        assertThat(renderer.layout().paneHeight()).isEqualTo(27);
        render(state, 59, 30);
        assertThat(renderer.layout().mode()).isEqualTo(Layout.Mode.NARROW);
        assertThat(renderer.layout().paneWidth()).isEqualTo(59);
        render(state, 12, 3);
        assertThat(renderer.layout().mode()).isEqualTo(Layout.Mode.TOO_SMALL);
        assertThat(screen.row(0)).isEqualTo("window too s");
        render(state, 60, 8);
        assertThat(renderer.layout().mode()).isEqualTo(Layout.Mode.WIDE);
    }

    @Test
    void mentionsHaveTheNickHighlighted() {
        render(Scenes.busy(), 72, 12);
        int row = 7;
        assertThat(screen.row(row)).contains("<alice> me: did you");
        int col = screen.row(row).indexOf("alice");
        assertThat(screen.style(row, col)).isEqualTo(theme.mention);
        assertThat(screen.style(row - 2, screen.row(row - 2).indexOf("me>"))).isEqualTo(theme.nick("me", true));
    }

    @Test
    void nickColoursAreStableAndVaried() {
        assertThat(theme.nick("alice", false)).isEqualTo(new Theme(true).nick("Alice", false));
        long distinct = java.util.stream.Stream.of("alice", "bob", "carol", "dave", "eve", "frank", "grace")
                .map(n -> theme.nick(n, false)).distinct().count();
        assertThat(distinct).isGreaterThan(3);
        assertThat(theme.nick("bob", true).has(Style.BOLD)).isTrue();
    }

    @Test
    void noColorLeavesOnlyAttributes() {
        var plain = new ChatRenderer(new Theme(false), ZoneOffset.UTC);
        var buffer = new ScreenBuffer(72, 12);
        plain.render(Scenes.busy(), editor, buffer, Scenes.NOW);
        for (int r = 0; r < buffer.height(); r++) {
            for (int c = 0; c < buffer.width(); c++) {
                assertThat(buffer.style(r, c).fg()).isEqualTo(Style.DEFAULT_COLOR);
                assertThat(buffer.style(r, c).bg()).isEqualTo(Style.DEFAULT_COLOR);
            }
        }
        assertThat(buffer.style(10, 3).has(Style.REVERSE)).as("the status bar stays visible").isTrue();
    }

    @Test
    void cursorFollowsWideCharactersInTheInputLine() {
        "日本語x".codePoints().forEach(cp -> editor.handle(Key.ch(cp)));
        editor.handle(Key.ctrl('B'));
        var buffer = new ScreenBuffer(72, 12);
        var cursor = renderer.render(Scenes.busy(), editor, buffer, Scenes.NOW);
        assertThat(buffer.row(11)).isEqualTo("[#general] 日本語x");
        assertThat(cursor).isEqualTo(new ChatRenderer.Cursor(11, 11 + 6));
    }

    @Test
    void offlineStatusCountsDownToTheNextAttempt() {
        var state = Scenes.busy();
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Offline(
                Optional.of(Scenes.NOW.plusMillis(4_200)), "connection reset")));
        render(state, 72, 12);
        assertThat(screen.row(10)).contains("[offline, retry in 5s]");
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connecting(3)));
        render(state, 72, 12);
        assertThat(screen.row(10)).contains("[connecting (attempt 3)…]");
    }

    @Test
    void pendingMessagesAreMarkedAndCounted() {
        var state = Scenes.busy();
        state.apply(new UiEvent.MessageReceived(new ChatMessage("p1", Scenes.GENERAL, "me", Scenes.NOW, "queued text",
                ChatMessage.Kind.TEXT, true)));
        render(state, 72, 12);
        assertThat(screen.dump()).contains("14:05…<me> queued text");
        assertThat(screen.row(10)).contains("[1 pending]");
        state.apply(new UiEvent.MessageDelivered(Scenes.GENERAL, "p1"));
        render(state, 72, 12);
        assertThat(screen.dump()).contains("14:05 <me> queued text");
        assertThat(screen.row(10)).doesNotContain("pending");
    }

    @Test
    void verificationStateShowsInTheStatusLine() {
        var state = Scenes.busy();
        state.focus(Scenes.ALICE);
        render(state, 72, 12);
        assertThat(screen.row(10)).contains("[@alice] [verified]");
        assertThat(screen.row(0)).contains("@alice · direct conversation");
        state.apply(new UiEvent.VerificationChanged(Scenes.ALICE, Verification.CHANGED));
        render(state, 72, 12);
        assertThat(screen.row(10)).contains("[KEY CHANGED]");
        assertThat(screen.dump()).contains("@alice CHANGED.").contains("Compare safety numbers again: /verify");
    }

    @Test
    void conversationListScrollsToKeepTheCurrentOneVisible() {
        var state = Scenes.busy();
        for (int i = 0; i < 20; i++) {
            state.apply(new UiEvent.ConversationOpened(ConversationId.room("room" + (char) ('a' + i)), false));
        }
        state.focus(ConversationId.room("roomt"));
        render(state, 72, 12);
        assertThat(screen.dump()).contains("#roomt");
        assertThat(screen.style(9, 3)).isEqualTo(theme.listCurrent);
        render(state, 40, 10);
        assertThat(screen.row(0)).contains("#roomt");
    }

    @Test
    void scrolledUpPaneSaysMore() {
        var state = Scenes.busy();
        for (int i = 0; i < 30; i++) {
            state.apply(new UiEvent.MessageReceived(Scenes.msg(Scenes.GENERAL, "bob", "2026-11-26T10:" + (10 + i) + ":00Z",
                    "line " + i)));
        }
        render(state, 72, 12);
        renderer.pane().scrollUp(state.current(), 8, renderer.layout().paneWidth(), renderer.layout().paneHeight());
        render(state, 72, 12);
        assertThat(screen.row(10)).endsWith("-- more --");
        assertThat(screen.row(9)).as("8 rows up from the topic notice").endsWith("line 22");
    }

    @Test
    void countdownRoundsUp() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(ChatRenderer.secondsUntil(now, now.plus(Duration.ofMillis(1)))).isEqualTo(1);
        assertThat(ChatRenderer.secondsUntil(now, now.plusSeconds(3))).isEqualTo(3);
        assertThat(ChatRenderer.secondsUntil(now, now.minusSeconds(3))).isZero();
    }
}
