package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat's {@code /search} and scrolling back past the lines read at start, against the real server. */
class ChatSearchTest {
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int LINES = 2600;

    @TempDir
    Path tmp;
    private LiveServer server;
    private Account alice;
    private ChatSession chat;

    @BeforeEach
    void start() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        server.register(tmp.resolve("alice"), "alice");
        alice = new Account(tmp.resolve("alice"));
        var lines = new ArrayList<HistoryRecord>();
        for (int i = 1; i <= LINES; i++) {
            lines.add(new HistoryRecord(HistoryRecord.Kind.TEXT, String.format("%032x", i), "bob", i,
                    T0.plusSeconds(i), i == 7 ? "the Needle is in line 7" : "line " + i, false));
        }
        try (var store = alice.history()) {
            store.append(GENERAL, lines);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (chat != null) {
            chat.close(Duration.ofSeconds(1));
        }
        alice.close();
        server.close();
    }

    @Test
    void scrollingBackReadsOlderLinesPageByPageUntilTheFirst() throws Exception {
        var view = new RecordingView();
        chat = alice.chat(view);
        var loaded = view.await(UiEvent.HistoryLoaded.class, e -> e.conversation().equals(GENERAL));
        assertThat(loaded.messages()).hasSize(ChatSession.INITIAL_LINES);
        assertThat(loaded.messages().getFirst().text()).isEqualTo("line " + (LINES - ChatSession.INITIAL_LINES + 1));
        var seen = new HashSet<String>();
        loaded.messages().forEach(m -> seen.add(m.id()));
        UiEvent.OlderLoaded older;
        do {
            int from = view.count();
            chat.perform(new UserAction.LoadOlder(GENERAL, Optional.empty()));
            older = view.awaitFrom(from, UiEvent.OlderLoaded.class, e -> true, Duration.ofSeconds(20));
            assertThat(older.messages()).hasSizeLessThanOrEqualTo(ChatSession.OLDER_PAGE);
            older.messages().forEach(m -> assertThat(seen.add(m.id())).as("read twice: " + m.text()).isTrue());
        } while (older.more());
        assertThat(seen).hasSize(LINES);
        assertThat(older.messages().getFirst().text()).isEqualTo("line 1");
    }

    @Test
    void searchFindsALineNotLoadedAndLoadingBackToItShowsIt() throws Exception {
        var view = new RecordingView();
        chat = alice.chat(view);
        view.await(UiEvent.HistoryLoaded.class, e -> e.conversation().equals(GENERAL));
        chat.perform(new UserAction.Search("NEEDLE"));
        var results = view.await(UiEvent.SearchResults.class, e -> true);
        assertThat(results.hits()).extracting(ChatMessage::text).containsExactly("the Needle is in line 7");
        ChatMessage hit = results.hits().getFirst();
        assertThat(hit.conversation()).isEqualTo(GENERAL);
        chat.perform(new UserAction.LoadOlder(GENERAL, Optional.of(hit.id())));
        var older = view.await(UiEvent.OlderLoaded.class, e -> true);
        assertThat(older.messages()).extracting(ChatMessage::id).contains(hit.id());
        // contiguous with what was shown: everything from the hit up to the first line read at start
        assertThat(older.messages()).hasSizeGreaterThanOrEqualTo(LINES - ChatSession.INITIAL_LINES - 6);

        chat.perform(new UserAction.Search("no such words"));
        assertThat(view.await(UiEvent.SearchResults.class, e -> e.text().equals("no such words")).hits()).isEmpty();
    }

    static List<String> texts(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::text).toList();
    }
}
