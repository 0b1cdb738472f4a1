package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.Server;
import crumbhub.server.StartupException;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat} on a home with no session asks for an invite link or an address, a name and a
 * password, then opens the chat: here in line mode (no terminal), against the real server.
 */
class FirstRunTest {
    @TempDir
    Path tmp;
    private Server server;
    private String link;

    @BeforeEach
    void start() throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.INVITE)
                .dataDir(tmp.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400)).build());
        var links = server.inviteLinks();
        link = links.link(server.firstInvite(), links.address());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String address() {
        return "127.0.0.1:" + server.address().getPort();
    }

    @Test
    void theFirstChatAsksForALinkANameAndAPasswordThenChats() throws Exception {
        var bobLink = crumbhub.server.admin.AdminClient.call(tmp.resolve("data"),
                new crumbhub.server.admin.AdminRequest.CreateInvite(1, Duration.ofHours(1))).lines().get(1);
        var bob = new Run(tmp.resolve("bob"));
        assertThat(bob.stdin("password of bob\n").run("join", bobLink, "bob", "--password-stdin").exit()).isZero();

        var alice = new Run(tmp.resolve("alice"));
        // the password is typed at the no-echo prompt, twice
        var chat = alice.typing("password of alice", "password of alice")
                .stdin(link + "\nalice\n\n/msg bob hello from my first chat\n").run("chat");
        assertThat(chat.exit()).as(chat.toString()).isZero();
        assertThat(chat.out()).contains("No account on this device yet", "Invite link (crumbhub://...) or server address",
                "Your user name: ", "registered alice on " + address(), "recovery code: ",
                "press Enter to open the chat");
        assertThat(chat.out()).containsPattern("@bob <alice> hello from my first chat");

        var got = bob.run("listen", "--count", "1", "--timeout", "15");
        assertThat(got.exit()).as(got.toString()).isZero();
        assertThat(got.out()).contains("<alice> hello from my first chat");

        // the next chat opens the session at once, without a question
        var again = alice.stdin("").run("chat");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).doesNotContain("No account");
    }

    @Test
    void anAddressAsksWhetherToRegisterAndTheLineModeReadsThePasswordFromStdin() {
        var alice = new Run(tmp.resolve("alice"));
        var chat = alice.stdin(address() + "\nalice\ny\n" + server.firstInvite() + "\npassword of alice\n\n")
                .run("chat", "--password-stdin");
        assertThat(chat.exit()).as(chat.toString()).isZero();
        assertThat(chat.out()).contains("Create a new account on " + address(), "Invite code",
                "registered alice on " + address());

        // a second home logs in to the same account: N, then the password
        var laptop = new Run(tmp.resolve("laptop"));
        var login = laptop.stdin(address() + "\nalice\n\npassword of alice\n").run("chat", "--password-stdin");
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.out()).contains("logged in as alice on " + address(), "PENDING");
    }

    @Test
    void aDamagedLinkOrNoAnswerEndsTheFirstRunWithOneLine() {
        var alice = new Run(tmp.resolve("alice"));
        String damaged = link.substring(0, link.length() - 1);
        var refused = alice.stdin(damaged + "\n").run("chat");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().lines()).singleElement().asString()
                .startsWith("crumbhub-client: the invite link is");
        assertThat(refused.out()).doesNotContain("Your user name");

        var nothing = alice.stdin("").run("chat");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).startsWith("crumbhub-client: no account: paste an invite link");
    }
}
