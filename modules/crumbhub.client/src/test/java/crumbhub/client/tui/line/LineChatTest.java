package crumbhub.client.tui.line;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.tui.ChatLauncher;
import crumbhub.client.tui.ChatOptions;
import crumbhub.client.model.ConversationId;
import crumbhub.client.tui.DemoModel;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineChatTest {
    private static final Instant NOW = Instant.parse("2026-11-26T14:05:00Z");
    private static final ChatOptions OPTIONS = new ChatOptions(Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC, false,
            50, 1000, Duration.ofMillis(250));

    private static String run(DemoModel model, String input) throws InterruptedException {
        var out = new ByteArrayOutputStream();
        var chat = new LineChat(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), model, OPTIONS);
        chat.start();
        assertThat(chat.awaitExit(Duration.ofSeconds(10))).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEveryLineAndReadsCommandsAndTextLineByLine() throws InterruptedException {
        var model = new DemoModel("me", OPTIONS.clock(), 1);
        String out = run(model, "hello\n/me waves\n/msg alice are you there\n/bogus\n/join #ops\nfirst\n");
        assertThat(out).contains("14:03 #general <")
                .contains("14:05 #general <me> hello\n")
                .contains("14:05 #general * me waves\n")
                .contains("14:05 @alice <me> are you there\n")
                .contains("14:05 @alice <alice> you said: are you there\n")
                .contains("14:05 @alice -!- error: unknown command /bogus (/help lists the commands)\n")
                .contains("14:05 #ops -!- you joined #ops\n")
                .contains("14:05 #ops <me> first\n")
                .contains("14:05 -!- connected to demo.crumbhub.invalid:5555\n");
        assertThat(out).doesNotContain("\u001B");
        assertThat(model.actions()).containsSubsequence(
                new UserAction.SendText(ConversationId.room("general"), "hello"),
                new UserAction.Msg("alice", "are you there"),
                new UserAction.Run(new Operation.JoinRoom("ops")),
                new UserAction.SendText(ConversationId.room("ops"), "first"),
                new UserAction.Quit());
    }

    @Test
    void theEndOfInputQuits() throws InterruptedException {
        var model = new DemoModel("me", OPTIONS.clock(), 0);
        run(model, "");
        assertThat(model.actions()).containsExactly(new UserAction.Quit());
    }

    @Test
    void formatsEachKindOfLine() {
        var t = NOW;
        var room = ConversationId.room("r");
        assertThat(LineChat.format(new crumbhub.client.model.ChatMessage("1", room, "bob", t, "a\nb",
                crumbhub.client.model.ChatMessage.Kind.TEXT, true), OPTIONS, "me")).isEqualTo("14:05 #r <bob> a\n    b (pending)");
        assertThat(LineChat.format(new crumbhub.client.model.ChatMessage("2", ConversationId.STATUS, "", t, "hi",
                crumbhub.client.model.ChatMessage.Kind.NOTICE, false), OPTIONS, "me")).isEqualTo("14:05 -!- hi");
    }

    @Test
    void withoutATerminalTheLauncherChoosesLineMode() throws InterruptedException {
        assertThat(ChatLauncher.chooseMode(Map.of("TERM", "xterm-256color")))
                .as("surefire's stdout is a pipe").isEqualTo(ChatLauncher.Mode.LINE);
        assertThat(ChatLauncher.chooseMode(Map.of("TERM", "dumb"))).isEqualTo(ChatLauncher.Mode.LINE);
        assertThat(ChatLauncher.chooseMode(Map.of())).isEqualTo(ChatLauncher.Mode.LINE);

        var out = new ByteArrayOutputStream();
        var model = new DemoModel("me", Clock.systemUTC(), 0);
        ChatLauncher.run(model, Map.of("TERM", "xterm-256color"),
                new ByteArrayInputStream("/rooms\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("-!- rooms: #general").doesNotContain("\u001B");
    }
}
