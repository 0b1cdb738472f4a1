package crumbhub.client.tui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.model.ChatModel;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import crumbhub.client.tui.input.KeyDecoder;
import crumbhub.client.tui.term.MemoryTerminal;
import crumbhub.client.tui.term.TerminalException;
import crumbhub.testkit.Await;
import crumbhub.testkit.ManualTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatAppTest {
    static final Instant NOW = Instant.parse("2026-11-26T14:05:00Z");
    static final ChatOptions OPTIONS = new ChatOptions(Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC, true,
            50, 1000, Duration.ofMillis(20));
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MemoryTerminal terminal = new MemoryTerminal(80, 16);
    private final DemoModel model = new DemoModel("me", OPTIONS.clock(), 20);
    private ChatApp app;

    private void start(ChatModel chatModel) {
        app = new ChatApp(terminal, chatModel, OPTIONS);
        app.start();
    }

    /** With the UI thread's monotonic clock moved by hand. */
    private void start(ManualTime time) {
        app = new ChatApp(terminal, model, OPTIONS, time::nanoTime);
        app.start();
        awaitScreen(s -> s.contains("[connected]") && s.contains("#general: Welcome"));
    }

    private void start() {
        start(model);
        awaitScreen(s -> s.contains("[connected]") && s.contains("#general: Welcome"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && !terminal.closed()) {
            terminal.type("\u0003");
            assertThat(app.awaitExit(WAIT)).isTrue();
        }
    }

    private String awaitScreen(Predicate<String> condition) {
        return Await.succeeds(() -> {
            String screen = terminal.dump();
            if (!condition.test(screen)) {
                throw new AssertionError("screen does not match yet; it shows:\n" + screen);
            }
            return screen;
        }, WAIT, "the screen to match");
    }

    private String row(int r) {
        return terminal.screen().screen().row(r);
    }

    @Test
    void startsInTheFocusedRoomWithItsHistory() {
        start();
        String screen = terminal.dump();
        assertThat(screen).contains(" 2 #general").contains(" 4 @alice").contains("[#general]");
        assertThat(screen).contains("14:03 <");
    }

    @Test
    void aTypedLineIsSentToTheCurrentConversation() {
        start();
        terminal.type("hello world\r");
        awaitScreen(s -> s.contains("<me> hello world"));
        assertThat(model.actions()).contains(new UserAction.SendText(ConversationId.room("general"), "hello world"));
    }

    @Test
    void commandsBecomeActions() {
        start();
        terminal.type("/join #new\r");
        awaitScreen(s -> s.contains("[#new]") && s.contains("you joined #new"));
        assertThat(model.actions()).contains(new UserAction.Run(new Operation.JoinRoom("new")));
    }

    @Test
    void anUnknownCommandIsAnInlineError() {
        start();
        terminal.type("/bogus\r");
        awaitScreen(s -> s.contains("unknown command /bogus (/help lists the commands)"));
    }

    @Test
    void helpIsShownInline() {
        start();
        terminal.type("/help\r");
        awaitScreen(s -> s.contains("Start a line with // to send text that begins with /."));
    }

    @Test
    void aMentionRingsTheBell() {
        start();
        int bells = terminal.screen().bells();
        model.incoming(ConversationId.room("random"), "bob", "hey me, lunch?");
        awaitScreen(s -> s.contains("#random    !6"));
        assertThat(terminal.screen().bells()).isEqualTo(bells + 1);
    }

    @Test
    void aDirectMessageRingsOnlyWhenLookingElsewhere() {
        start();
        int bells = terminal.screen().bells();
        model.incoming(ConversationId.direct("alice"), "alice", "psst");
        awaitScreen(s -> s.contains("@alice     !3"));
        assertThat(terminal.screen().bells()).isEqualTo(bells + 1);
        terminal.type("\u001B4");
        awaitScreen(s -> s.contains("[@alice]"));
        model.incoming(ConversationId.direct("alice"), "alice", "are you there");
        awaitScreen(s -> s.contains("<alice> are you there"));
        assertThat(terminal.screen().bells()).isEqualTo(bells + 1);
    }

    @Test
    void ctrlCQuitsAndRestoresTheTerminal() throws InterruptedException {
        start();
        terminal.type("\u0003");
        assertThat(app.awaitExit(WAIT)).isTrue();
        assertThat(terminal.closed()).isTrue();
        assertThat(model.actions().getLast()).isEqualTo(new UserAction.Quit());
    }

    @Test
    void quitCommandQuits() throws InterruptedException {
        start();
        terminal.type("/quit\r");
        assertThat(app.awaitExit(WAIT)).isTrue();
        assertThat(terminal.closed()).isTrue();
    }

    @Test
    void theEndOfInputQuits() throws InterruptedException {
        start();
        terminal.hangUp();
        assertThat(app.awaitExit(WAIT)).isTrue();
        assertThat(terminal.closed()).isTrue();
    }

    @Test
    void aResizeIsNoticedAndTheLayoutFollows() {
        start();
        terminal.resize(40, 12);
        awaitScreen(s -> s.startsWith(" 1:status 2:#general"));
        terminal.resize(90, 20);
        awaitScreen(s -> s.contains(" 1 status") && s.contains("│"));
        assertThat(row(18)).startsWith(" [14:05] [connected]");
    }

    @Test
    void aTinyTerminalSaysSoAndKeysStillWork() {
        start();
        terminal.resize(10, 3);
        awaitScreen(s -> s.startsWith("window too"));
        terminal.type("\u001B[5~\u001B[6~x\u000E");
        terminal.resize(80, 16);
        awaitScreen(s -> s.contains("[#random] x"));
    }

    @Test
    void pageUpScrollsBackAndPageDownReturns() {
        start();
        terminal.type("\u001B[5~");
        awaitScreen(s -> s.contains("-- more --"));
        terminal.type("\u001B[6~\u001B[6~\u001B[6~");
        awaitScreen(s -> !s.contains("-- more --"));
    }

    @Test
    void editingKeysAndEscapeSequencesSplitAcrossReads() {
        var time = new ManualTime();
        start(time);
        terminal.type("abc");
        terminal.type("\u001B[");
        terminal.type("D");
        terminal.type("X\u001B");
        awaitScreen(s -> s.contains("[#general] abXc"));
        // the lone Esc times out; the UI thread polls the size in the same pass, after the expiry
        int polls = terminal.sizeQueries();
        time.advance(KeyDecoder.ESCAPE_TIMEOUT.multipliedBy(4).plus(OPTIONS.sizePoll()));
        Await.until(() -> terminal.sizeQueries() > polls, WAIT, "the UI thread past the Esc deadline");
        terminal.type("\u0001Y");
        awaitScreen(s -> s.contains("[#general] YabXc"));
    }

    @Test
    void tabCompletesCommands() {
        start();
        terminal.type("/jo\t");
        awaitScreen(s -> s.contains("[#general] /join") && terminal.screen().cursorCol() == 17);
    }

    @Test
    void conversationsSwitchWithKeys() {
        start();
        terminal.type("\u000E");
        awaitScreen(s -> s.contains("[#random]"));
        terminal.type("\u0010\u0010");
        awaitScreen(s -> s.contains("[status]"));
        terminal.type("\u001B[1;3C");
        awaitScreen(s -> s.contains("[#general]"));
    }

    @Test
    void offlineMessagesArePendingUntilReconnected() {
        start();
        model.goOffline("network unreachable", Duration.ofSeconds(30));
        awaitScreen(s -> s.contains("[offline, retry in 30s]"));
        terminal.type("queued\r");
        awaitScreen(s -> s.contains("14:05…<me> queued") && s.contains("[1 pending]"));
        model.reconnect();
        awaitScreen(s -> s.contains("14:05 <me> queued") && !s.contains("pending"));
    }

    @Test
    void aSessionThatThrowsShowsAnErrorAndTheUiGoesOn() {
        start(new ChatModel() {
            @Override
            public void attach(ChatView view) {
                view.post(new UiEvent.ConversationOpened(ConversationId.room("x"), true));
            }

            @Override
            public void perform(UserAction action) {
                if (action instanceof UserAction.SendText) {
                    throw new IllegalStateException("session broke");
                }
            }
        });
        awaitScreen(s -> s.contains("[#x]"));
        terminal.type("hi\r");
        awaitScreen(s -> s.contains("could not do that: session broke"));
        terminal.type("more\r");
        awaitScreen(s -> s.contains("[#x]"));
    }

    @Test
    void aFailureInTheUiRestoresTheTerminalAndIsReported() throws InterruptedException {
        start(new ChatModel() {
            @Override
            public void attach(ChatView view) {
                throw new IllegalStateException("cannot attach");
            }

            @Override
            public void perform(UserAction action) {
                // never reached
            }
        });
        Await.until(terminal::closed, WAIT, "the terminal closed");
        assertThat(terminal.closed()).isTrue();
        assertThatThrownBy(() -> app.awaitExit(WAIT)).isInstanceOf(TerminalException.class)
                .hasMessageContaining("cannot attach");
    }
}
