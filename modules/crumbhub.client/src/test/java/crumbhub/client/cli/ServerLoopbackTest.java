package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.home.Home;
import crumbhub.client.home.KnownServers;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.Server;
import crumbhub.server.StartupException;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands against the real crumbhub-server, started in-process on 127.0.0.1:0 with
 * a temporary data directory; commands run through {@link CommandRunner#run} with captured output.
 */
class ServerLoopbackTest {
    @TempDir
    Path tmp;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Server start(Path data, int port) throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", port))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400)).build());
        return server;
    }

    private String address() {
        return "127.0.0.1:" + server.address().getPort();
    }

    private Run user(String name) {
        return new Run(tmp.resolve("home-" + name));
    }

    private static void ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private void register(Run who, String name) {
        ok(who.stdin("password of " + name + "\n").run("register", address(), name, "--password-stdin"));
    }

    @Test
    void twoUsersTalkInARoomAndDirectly() throws Exception {
        start(tmp.resolve("data"), 0);
        var alice = user("alice");
        var bob = user("bob");
        var reg = alice.stdin("password of alice\n").run("register", address(), "Alice", "--password-stdin");
        ok(reg);
        assertThat(reg.out()).startsWith("registered alice on " + address());
        assertThat(reg.err()).contains("fingerprint " + server.fingerprint());
        register(bob, "bob");

        ok(alice.run("room", "create", "#General"));
        ok(alice.run("room", "invite", "#general", "bob"));
        var invited = bob.run("room", "list");
        ok(invited);
        assertThat(invited.out()).matches("#general\\s+invited\\s+1 member\\n");
        ok(bob.run("room", "join", "#general"));
        var members = alice.run("room", "members", "#general");
        ok(members);
        assertThat(members.lines()).anyMatch(l -> l.matches("alice\\s+owner")).anyMatch(l -> l.matches("bob\\s+member"));
        assertThat(alice.run("room", "list").out()).matches("#general\\s+member\\s+2 members\\n");

        ok(alice.run("send", "#general", "hello", "bob"));
        ok(bob.run("send", "@alice", "hi alice: \"quoted\" \\ and ☃ 😀"));
        ok(bob.run("send", "#general", "line one\nline two"));

        // a device does not get its own messages back
        var bobSees = bob.run("listen", "--json", "--timeout", "1");
        ok(bobSees);
        assertThat(bobSees.lines()).hasSize(1);
        assertThat(bobSees.lines().get(0)).startsWith("{\"room\":\"#general\",\"from\":\"alice\",\"text\":\"hello bob\",\"id\":\"");

        var aliceSees = alice.run("listen", "--json", "--count", "2", "--timeout", "10");
        ok(aliceSees);
        assertThat(aliceSees.lines()).hasSize(2);
        assertThat(aliceSees.lines()).anyMatch(l -> l.contains("\"room\":\"#general\",\"from\":\"bob\",\"text\":\"line one\\nline two\""));
        var direct = aliceSees.lines().stream().filter(l -> l.contains("\"room\":\"@bob\"")).findFirst().orElseThrow();
        assertThat(direct).contains("\"from\":\"bob\"").contains("\"text\":\"hi alice: \\\"quoted\\\" \\\\ and ☃ 😀\"")
                .matches(".*\"id\":\"[0-9a-f]{32}\".*").matches(".*\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\".*")
                .matches(".*\"seq\":\\d+.*");

        // printed once, even across restarts of listen
        var again = alice.run("listen", "--json", "--timeout", "0.5");
        ok(again);
        assertThat(again.out()).isEmpty();
    }

    @Test
    void listenShowsLiveMessagesAndStopsAtTheCount() throws Exception {
        start(tmp.resolve("data"), 0);
        var alice = user("alice");
        var bob = user("bob");
        register(alice, "alice");
        register(bob, "bob");
        var listening = CompletableFuture.supplyAsync(() -> bob.run("listen", "--count", "2", "--timeout", "15"));
        ok(alice.run("send", "@bob", "one"));
        ok(alice.run("send", "@bob", "two"));
        var r = listening.get(20, TimeUnit.SECONDS);
        ok(r);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).matches("\\[\\d\\d:\\d\\d] @alice <alice> one");
        assertThat(r.lines().get(1)).matches("\\[\\d\\d:\\d\\d] @alice <alice> two");
    }

    @Test
    void aRestartedServerKeepsSessionsAndMessages() throws Exception {
        Path data = tmp.resolve("data");
        start(data, 0);
        int port = server.address().getPort();
        var alice = user("alice");
        var bob = user("bob");
        register(alice, "alice");
        register(bob, "bob");
        ok(alice.run("send", "@bob", "durable"));
        server.close();
        server = null;
        start(data, port);
        var r = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(r);
        assertThat(r.out()).contains("\"text\":\"durable\"");
    }

    @Test
    void aServerWithAnotherKeyOnThePinnedAddressIsRefused() throws Exception {
        start(tmp.resolve("data-1"), 0);
        int port = server.address().getPort();
        String firstFingerprint = server.fingerprint();
        var alice = user("alice");
        register(alice, "alice");
        server.close();
        server = null;
        start(tmp.resolve("data-2"), port); // same address, new key
        assertThat(server.fingerprint()).isNotEqualTo(firstFingerprint);

        var send = alice.run("send", "@alice", "x");
        assertThat(send.exit()).isEqualTo(5);
        assertThat(send.err().lines()).hasSize(1);
        assertThat(send.err()).contains("CHANGED").contains(firstFingerprint).contains(server.fingerprint())
                .contains(alice.file(KnownServers.FILE_NAME).toString());

        var login = alice.stdin("password of alice\n").run("login", address(), "alice", "--password-stdin");
        assertThat(login.exit()).isEqualTo(5);
        assertThat(login.err()).contains("CHANGED");
    }

    @Test
    void fingerprintMismatchIsRefusedBeforeAnythingIsSent() throws Exception {
        start(tmp.resolve("data"), 0);
        var alice = user("alice");
        var wrong = Fingerprint.of(X25519KeyPair.generate(new SecureRandom()).publicKey());
        var r = alice.stdin("password of alice\n").run("register", address(), "alice", "--password-stdin",
                "--fingerprint", wrong);
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains(wrong).contains(server.fingerprint());
        assertThat(alice.file(KnownServers.FILE_NAME)).doesNotExist();
        assertThat(alice.file(Home.SESSION_FILE)).doesNotExist();
        // the account was not created: registering with the right fingerprint works
        ok(alice.stdin("password of alice\n").run("register", address(), "alice", "--password-stdin",
                "--fingerprint", server.fingerprint()));
    }

    @Test
    void refusalsAndExpiredSessionsAreOneLineWithTheirExitCodes() throws Exception {
        start(tmp.resolve("data"), 0);
        var alice = user("alice");
        register(alice, "alice");

        var taken = user("mallory").stdin("x long password\n").run("register", address(), "alice", "--password-stdin");
        assertThat(taken.exit()).isEqualTo(2);
        assertThat(taken.err().lines()).hasSize(2); // the pinning notice, then the error
        assertThat(taken.err().lines().toList().getLast()).startsWith("crumbhub-client: registration refused by the server: ");

        var notMember = alice.run("send", "#nowhere", "x");
        assertThat(notMember.exit()).isEqualTo(2);
        assertThat(notMember.err().lines()).hasSize(1);

        var laptop = user("laptop");
        ok(laptop.stdin("password of alice\n").run("login", address(), "alice", "--password-stdin",
                "--device-name", "laptop"));
        var devices = laptop.run("devices");
        ok(devices);
        assertThat(devices.lines()).hasSize(2).anyMatch(l -> l.startsWith("*") && l.contains("laptop"));
        String firstId = devices.lines().stream().filter(l -> !l.startsWith("*")).findFirst().orElseThrow()
                .trim().split("\\s+")[0];
        ok(laptop.run("devices", "revoke", firstId));
        var expired = alice.run("room", "list");
        assertThat(expired.exit()).isEqualTo(2);
        assertThat(expired.err()).isEqualTo("crumbhub-client: session expired; run crumbhub-client login\n");

        ok(laptop.run("logout"));
        assertThat(laptop.run("room", "list").exit()).isEqualTo(4);
    }

    @Test
    void aKickedMemberReceivesNothingAfterwards() throws Exception {
        start(tmp.resolve("data"), 0);
        var alice = user("alice");
        var bob = user("bob");
        register(alice, "alice");
        register(bob, "bob");
        ok(alice.run("room", "create", "#team"));
        ok(alice.run("room", "invite", "#team", "bob"));
        ok(bob.run("room", "join", "#team"));
        ok(alice.run("send", "#team", "before"));
        ok(alice.run("room", "kick", "#team", "bob"));
        ok(alice.run("send", "#team", "after"));
        var r = bob.run("listen", "--json", "--timeout", "1");
        ok(r);
        assertThat(r.lines()).hasSize(1).first().asString().contains("\"text\":\"before\"");
    }
}
