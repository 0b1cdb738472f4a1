package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.home.KnownServers;
import crumbhub.server.Server;
import crumbhub.server.StartupException;
import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.InviteLink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code join LINK USER} against the real server, invite-only, in-process on 127.0.0.1:0: one
 * command registers and pins; a link whose key is not the server's, and a link with a changed
 * character, are refused with one line and a non-zero exit, before the invite is used.
 */
class JoinLinkTest {
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

    private Run user(String name) {
        return new Run(tmp.resolve("home-" + name));
    }

    private String address() {
        return "127.0.0.1:" + server.address().getPort();
    }

    @Test
    void oneCommandRegistersPinsTheServerKeyAndTheAccountChats() throws Exception {
        var alice = user("alice");
        var joined = alice.stdin("password of alice\n").run("join", link, "alice", "--password-stdin");
        assertThat(joined.exit()).as(joined.toString()).isZero();
        assertThat(joined.out()).startsWith("registered alice on " + address());
        assertThat(joined.out()).contains("recovery code: ");
        assertThat(joined.err()).contains("fingerprint " + server.fingerprint());
        assertThat(Files.readString(tmp.resolve("home-alice").resolve(KnownServers.FILE_NAME)))
                .contains(address() + " " + server.fingerprint());

        var bob = user("bob");
        String second = newLink();
        // pasted from an email that wrapped it: line breaks and a quote marker inside
        String wrapped = second.substring(0, 40) + "\n> " + second.substring(40, 90) + "\r\n" + second.substring(90);
        var bobJoined = bob.stdin("password of bob\n").run("join", wrapped, "bob", "--password-stdin");
        assertThat(bobJoined.exit()).as(bobJoined.toString()).isZero();

        assertThat(alice.run("send", "@bob", "hello from a link").exit()).isZero();
        var got = bob.run("listen", "--count", "1", "--timeout", "15");
        assertThat(got.exit()).as(got.toString()).isZero();
        assertThat(got.out()).contains("<alice> hello from a link");
    }

    @Test
    void aServerWhoseKeyIsNotTheLinksIsRefusedBeforeTheInviteIsUsed() throws Exception {
        var real = InviteLink.parse(link);
        byte[] otherDigest = real.keyDigest();
        otherDigest[0] ^= 1;
        String forged = new InviteLink(real.host(), real.port(), real.code(), otherDigest).text();
        var mallory = user("mallory");
        var refused = mallory.stdin("password of alice\n").run("join", forged, "alice", "--password-stdin");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("crumbhub-client: server " + address() + " presented fingerprint " + server.fingerprint())
                .endsWith("in the invite link; not connecting"));
        assertThat(refused.out()).isEmpty();
        Path known = tmp.resolve("home-mallory").resolve(KnownServers.FILE_NAME);
        assertThat(Files.exists(known) ? Files.readString(known) : "").doesNotContain(address());

        // the invite is still unused: the real link registers
        var alice = user("alice");
        var joined = alice.stdin("password of alice\n").run("join", link, "alice", "--password-stdin");
        assertThat(joined.exit()).as(joined.toString()).isZero();
    }

    @Test
    void aLinkWithAChangedCharacterIsRefusedWithOneLine() {
        int at = link.length() - 10;
        char changed = link.charAt(at) == 'a' ? 'b' : 'a';
        String tampered = link.substring(0, at) + changed + link.substring(at + 1);
        var alice = user("alice");
        var refused = alice.stdin("password of alice\n").run("join", tampered, "alice", "--password-stdin");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().lines()).singleElement().asString()
                .startsWith("crumbhub-client: the invite link is damaged or was altered");
        assertThat(tmp.resolve("home-alice").resolve(KnownServers.FILE_NAME)).doesNotExist();

        var notALink = alice.run("join", address(), "alice", "--password-stdin");
        assertThat(notALink.exit()).isEqualTo(1);
        assertThat(notALink.err()).isEqualTo("crumbhub-client: that is not an invite link: it must start with crumbhub://\n");
    }

    @Test
    void joinIsListedInHelp() {
        var help = user("x").run("--help");
        assertThat(help.out()).contains("join LINK USER");
        assertThat(user("x").run("join", "--help").out())
                .contains("usage: crumbhub-client join LINK USER [--password-stdin] [--device-name NAME]");
    }

    /** A fresh one-use invite's link, as {@code crumbhub-server invite} prints it. */
    private String newLink() throws Exception {
        var r = AdminClient.call(tmp.resolve("data"), new AdminRequest.CreateInvite(1, Duration.ofHours(1)));
        assertThat(r.ok()).as(r.error()).isTrue();
        return r.lines().get(1);
    }
}
