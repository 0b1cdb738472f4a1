package crumbhub.client.tui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ChatModel;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.tui.view.MessagePane;
import crumbhub.client.tui.view.MessageFormatter;
import crumbhub.client.tui.view.Theme;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /search}, {@code /goto} and scrolling back past the loaded lines, on the UI's side. */
class SearchAndScrollbackTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final ConversationId BOB = ConversationId.direct("bob");

    private final ChatState state = new ChatState(100, Clock.fixed(T, ZoneOffset.UTC));
    private final List<UserAction> asked = new ArrayList<>();
    private final ChatController controller = new ChatController(state, new ChatModel() {
        @Override
        public void attach(ChatView view) {
        }

        @Override
        public void perform(UserAction action) {
            asked.add(action);
        }
    });

    private static ChatMessage line(int n, ConversationId where, String text) {
        return ChatMessage.text("bob/" + n, where, "bob", T.plusSeconds(n), text);
    }

    @BeforeEach
    void session() {
        state.apply(new UiEvent.SessionInfo("example.org:5555", "me"));
        var lines = new ArrayList<ChatMessage>();
        for (int i = 100; i < 150; i++) {
            lines.add(line(i, GENERAL, "line " + i));
        }
        state.apply(new UiEvent.HistoryLoaded(GENERAL, lines));
        state.apply(new UiEvent.ConversationOpened(BOB, true));
    }

    @Test
    void searchResultsAreNumberedAndGotoShowsALoadedOneInItsConversation() {
        controller.submit("/search line 12");
        assertThat(asked).containsExactly(new UserAction.Search("line 12"));
        state.apply(new UiEvent.SearchResults("line 12", List.of(line(120, GENERAL, "line 120"),
                line(125, GENERAL, "line 125"))));
        var shown = texts(state.current());
        assertThat(shown).anyMatch(t -> t.contains("2 messages") && t.contains("/goto"));
        assertThat(shown).anyMatch(t -> t.matches("\\s*1  2026-11-26 10:02  #general <bob> line 120"));
        assertThat(shown).anyMatch(t -> t.matches("\\s*2  2026-11-26 10:02  #general <bob> line 125"));

        controller.submit("/goto 2");
        assertThat(state.current().id()).isEqualTo(GENERAL);
        assertThat(state.current().scroll()).get().satisfies(p -> assertThat(p.entry().message().id())
                .isEqualTo("bob/125"));
        assertThat(asked).hasSize(1); // loaded already: nothing asked of the session

        controller.submit("/goto 3");
        assertThat(texts(state.current())).anyMatch(t -> t.contains("/goto takes 1 to 2"));
    }

    @Test
    void gotoAResultOlderThanTheLoadedLinesReadsBackToItThenShowsIt() {
        state.apply(new UiEvent.SearchResults("old", List.of(line(5, GENERAL, "an old line"))));
        controller.submit("/goto 1");
        assertThat(asked).containsExactly(new UserAction.LoadOlder(GENERAL, Optional.of("bob/5")));
        assertThat(state.current().scroll()).isEmpty();
        var older = new ArrayList<ChatMessage>();
        for (int i = 5; i < 100; i++) {
            older.add(line(i, GENERAL, i == 5 ? "an old line" : "line " + i));
        }
        state.apply(new UiEvent.OlderLoaded(GENERAL, older, true));
        assertThat(state.current().scrollback().size()).isEqualTo(145);
        assertThat(state.current().scroll()).get().satisfies(p -> assertThat(p.entry().message().id())
                .isEqualTo("bob/5"));
    }

    @Test
    void pageUpAtTheFirstLineAsksForOlderLinesOnceUntilTheyCome() {
        state.focus(GENERAL);
        var pane = new MessagePane(new MessageFormatter(new Theme(false), ZoneOffset.UTC));
        Conversation general = state.current();
        assertThat(pane.showsFirst(general, 40, 10)).isFalse();
        pane.scrollUp(general, 1000, 40, 10);
        assertThat(pane.showsFirst(general, 40, 10)).isTrue();
        controller.loadOlder(general);
        controller.loadOlder(general);
        assertThat(asked).containsExactly(new UserAction.LoadOlder(GENERAL, Optional.empty()));
        state.apply(new UiEvent.OlderLoaded(GENERAL, List.of(line(99, GENERAL, "line 99")), false));
        assertThat(general.scrollback().get(0).message().text()).isEqualTo("line 99");
        controller.loadOlder(general);
        assertThat(asked).as("the history has nothing older").hasSize(1);
    }

    @Test
    void theStatusWindowHasNoOlderLines() {
        state.focus(ConversationId.STATUS);
        controller.loadOlder(state.current());
        assertThat(asked).isEmpty();
    }

    private static List<String> texts(Conversation c) {
        var out = new ArrayList<String>();
        for (int i = 0; i < c.scrollback().size(); i++) {
            out.add(c.scrollback().get(i).message().text());
        }
        return out;
    }
}
