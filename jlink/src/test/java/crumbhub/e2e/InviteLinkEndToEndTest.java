package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Onboarding in one line, from the image: the operator prints an invite link, a new user joins
 * with it in one command and chats; a tampered link is refused with one line (docs/operations.md
 * "Invite links", docs/client.md "join").
 */
class InviteLinkEndToEndTest {
    private static final Pattern LINK = Pattern.compile("^(crumbhub://[0-9a-z]+)$");

    @Test
    void anOperatorsLinkLetsANewUserJoinInOneCommandAndChat(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.startWithDefaults(tmp.resolve("data"), 0)) {
            String first = server.awaitLine(LINK, Duration.ofSeconds(30)).group(1);
            var alice = new ClientHome("alice", tmp.resolve("alice"));
            Image.Result joined = alice.runWithInput("alice password 1\n", "join", first, "alice", "--password-stdin");
            assertThat(joined.exit()).as(joined.stderr()).isZero();
            assertThat(joined.stdout()).startsWith("registered alice on " + server.address());
            assertThat(joined.stderr()).contains("fingerprint " + server.fingerprint);

            Image.Result invite = Image.server("--data", server.data.toString(), "invite");
            assertThat(invite.exit()).as(invite.stderr()).isZero();
            var lines = invite.stdout().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).matches("[a-z2-7]{24}");
            String link = lines.get(1);
            assertThat(link).matches(LINK.pattern());

            var bob = new ClientHome("bob", tmp.resolve("bob"));
            String tampered = link.substring(0, 20) + (link.charAt(20) == 'x' ? 'y' : 'x') + link.substring(21);
            Image.Result refused = bob.runWithInput("bob password 1\n", "join", tampered, "bob", "--password-stdin");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.stderr().lines()).singleElement().asString()
                    .startsWith("crumbhub-client: the invite link is damaged or was altered");

            Image.Result bobJoined = bob.runWithInput("bob password 1\n", "join", link, "bob", "--password-stdin");
            assertThat(bobJoined.exit()).as(bobJoined.stderr()).isZero();
            bob.ok("send", "@alice", "joined with one line");
            var got = alice.listenJson(1, 30);
            assertThat(got).singleElement().satisfies(m -> {
                assertThat(m.get("from")).isEqualTo("bob");
                assertThat(m.get("text")).isEqualTo("joined with one line");
            });
            assertThat(server.terminate()).isZero();
        }
    }
}
