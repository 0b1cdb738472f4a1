package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run of the real {@code bin/crumbhub-client chat} on a terminal (tmux): with no session
 * it asks for an invite link, a name and a password (typed without echo), then opens the
 * full-screen chat connected to the server (docs/chat.md "First run").
 */
@Timeout(120)
class FirstRunTmuxEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void aNewUserPastesTheOperatorsLinkAndLandsInTheChat() throws Exception {
        try (ServerProcess server = ServerProcess.startWithDefaults(tmp.resolve("data"), 0);
             Tmux tmux = Tmux.start("first-run")) {
            String link = server.awaitLine(Pattern.compile("^(crumbhub://[0-9a-z]+)$"), Duration.ofSeconds(30)).group(1);
            tmux.shell("alice", 200, 40);
            tmux.line("alice", Image.bin("crumbhub-client") + " chat --home " + tmp.resolve("alice") + "; echo \"exit=$?\"");
            tmux.waitFor("alice", "Invite link (crumbhub://...) or server address");
            tmux.line("alice", link);
            tmux.waitFor("alice", "Your user name:");
            tmux.line("alice", "alice");
            tmux.waitFor("alice", "Password:");
            tmux.line("alice", "alice password 1");
            tmux.waitFor("alice", "Repeat password:");
            tmux.line("alice", "alice password 1");
            String registered = tmux.waitFor("alice", "press Enter to open the chat");
            assertThat(registered).contains("registered alice on " + server.address(), "recovery code: ")
                    .doesNotContain("alice password 1");
            tmux.line("alice", "");
            tmux.waitFor("alice", "[connected]");
            tmux.line("alice", "/quit");
            tmux.waitFor("alice", "exit=0");
            assertThat(server.terminate()).isZero();
        }
    }
}
