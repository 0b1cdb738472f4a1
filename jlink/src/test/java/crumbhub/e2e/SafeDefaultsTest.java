package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@code bin/crumbhub-server} started with no flags but its address does (docs/operations.md). */
class SafeDefaultsTest {

    @Test
    void aNewServerIsInviteOnlyAndPrintsOneInviteForItsOperator(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.startWithDefaults(tmp.resolve("data"), 0)) {
            String code = server.awaitLine(Pattern.compile("^invite code: ([a-z2-7]{24})$"), Duration.ofSeconds(30))
                    .group(1);
            Image.Result stranger = new ClientHome("mallory", tmp.resolve("mallory"))
                    .runWithInput("mallory password 1\n", "register", server.address(), "mallory", "--password-stdin");
            assertThat(stranger.exit()).as("registration without an invite").isNotZero();
            assertThat(stranger.stderr()).contains("registration refused");

            var alice = new ClientHome("alice", tmp.resolve("alice"));
            Image.Result first = alice.runWithInput("alice password 1\n", "register", server.address(), "alice",
                    "--password-stdin", "--invite", code);
            assertThat(first.exit()).as(first.stderr()).isZero();
            Image.Result again = new ClientHome("bob", tmp.resolve("bob")).runWithInput("bob password 1\n",
                    "register", server.address(), "bob", "--password-stdin", "--invite", code);
            assertThat(again.exit()).as("the operator's invite has one use").isNotZero();
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void openRegistrationIsExplicitAndLoggedAsAWarning(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0, "--registration", "open")) {
            assertThat(server.startOutput).contains("registration_open").doesNotContain("invite code:");
            assertThat(server.terminate()).isZero();
        }
    }
}
