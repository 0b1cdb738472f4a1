package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.home.Home;
import crumbhub.client.home.KnownServers;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.testkit.Await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands over real sockets and Noise against {@link FakeServer}: pinning, the
 * stored session, exactly-once listen, and the send retry after a lost SEND_OK.
 */
class FakeServerLoopbackTest {
    @TempDir
    Path tmp;
    private FakeServer server;
    private Run alice;
    private Run bob;

    @BeforeEach
    void start() {
        server = new FakeServer();
        alice = new Run(tmp.resolve("alice"));
        bob = new Run(tmp.resolve("bob"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private void register(Run who, String user) {
        ok(who.stdin("secret-" + user + "\n").run("register", server.address(), user, "--password-stdin"));
    }

    @Test
    void registerPinsTheServerKeyAndKeepsTheSession() throws Exception {
        var r = alice.stdin("pw long enough\n").run("register", server.address(), "Alice", "--password-stdin");
        ok(r);
        assertThat(r.out()).startsWith("registered alice on " + server.address() + " (device 1)");
        assertThat(r.err()).contains("pinned the key of " + server.address()).contains(Fingerprint.of(server.publicKey()));
        assertThat(Files.readString(alice.file(KnownServers.FILE_NAME)))
                .contains(server.address() + " " + Fingerprint.of(server.publicKey()));
        assertThat(alice.file(Home.SESSION_FILE)).exists();
        // later commands resume without a password and without pinning again
        var list = alice.run("room", "list");
        ok(list);
        assertThat(list.err()).isEmpty();
    }

    @Test
    void roomsAndMessagesBothWays() {
        register(alice, "alice");
        register(bob, "bob");
        ok(alice.run("room", "create", "#Dev"));
        ok(alice.run("room", "invite", "#dev", "Bob"));
        assertThat(bob.run("room", "list").out()).matches("#dev\\s+invited\\s+1 member\\n");
        ok(bob.run("room", "join", "dev"));
        assertThat(alice.run("room", "members", "#dev").lines())
                .anySatisfy(l -> assertThat(l).matches("alice\\s+owner"))
                .anySatisfy(l -> assertThat(l).matches("bob\\s+member"));

        var sent = alice.run("send", "#dev", "hello", "\"bob\"");
        ok(sent);
        assertThat(sent.out()).isEmpty();
        ok(bob.run("send", "@alice", "hi", "😀"));

        var bobSees = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(bobSees);
        assertThat(bobSees.out()).startsWith("{\"room\":\"#dev\",\"from\":\"alice\",\"text\":\"hello \\\"bob\\\"\",\"id\":\"")
                .matches("(?s).*\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\".*");
        // a device is not sent what it sent itself
        var aliceSees = alice.run("listen", "--count", "1", "--timeout", "10");
        ok(aliceSees);
        assertThat(aliceSees.lines()).hasSize(1);
        assertThat(aliceSees.lines().get(0)).matches("\\[\\d\\d:\\d\\d] @bob <bob> hi 😀");
    }

    @Test
    void aMessageIsPrintedOnceAcrossRestarts() {
        register(alice, "alice");
        register(bob, "bob");
        ok(alice.run("send", "@bob", "one"));
        ok(alice.run("send", "@bob", "two"));
        assertThat(bob.run("listen", "--count", "1", "--timeout", "10", "--json").out()).contains("\"text\":\"one\"");
        var second = bob.run("listen", "--timeout", "1", "--json");
        ok(second);
        assertThat(second.lines()).hasSize(1).first().asString().contains("\"text\":\"two\"");
        assertThat(bob.run("listen", "--timeout", "0.5").out()).isEmpty();
    }

    @Test
    void aMessageStoredAgainUnderANewSeqIsShownOnceEvenByTheNextListen() {
        register(alice, "alice");
        register(bob, "bob");
        ok(alice.run("send", "@bob", "pushed, lost, retried"));
        var first = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(first);
        assertThat(first.out()).contains("\"text\":\"pushed, lost, retried\"");
        assertThat(server.storeLastAgainAsARetry()).isNotEmpty();
        var again = bob.run("listen", "--json", "--timeout", "1");
        ok(again);
        assertThat(again.out()).as("(from, id) was shown: the receive state keeps it across restarts").isEmpty();
        assertThat(again.err()).doesNotContain("cannot read");
        ok(alice.run("send", "@bob", "next"));
        assertThat(bob.run("listen", "--json", "--count", "1", "--timeout", "10").out()).contains("\"text\":\"next\"");
    }

    @Test
    void aLiveListenShowsAMessageStoredAgainUnderANewSeqOnce() throws Exception {
        register(alice, "alice");
        register(bob, "bob");
        var listening = CompletableFuture.supplyAsync(() -> bob.run("listen", "--json", "--count", "2", "--timeout", "15"));
        awaitSyncs(1);
        ok(alice.run("send", "@bob", "once"));
        server.storeLastAgainAsARetry();
        ok(alice.run("send", "@bob", "after"));
        var r = listening.get(20, TimeUnit.SECONDS);
        ok(r);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).contains("\"text\":\"once\"");
        assertThat(r.lines().get(1)).contains("\"text\":\"after\"");
        assertThat(r.err()).doesNotContain("cannot read");
    }

    @Test
    void aMessageThatCouldNotBeWrittenIsShownNextTime() {
        register(alice, "alice");
        register(bob, "bob");
        ok(alice.run("send", "@bob", "not lost"));
        var broken = bob.brokenStdout().run("listen", "--timeout", "5");
        assertThat(broken.exit()).isEqualTo(4);
        assertThat(broken.err()).contains("cannot write to standard output");
        var r = bob.run("listen", "--timeout", "0.5");
        assertThat(r.out()).contains("not lost");
    }

    @Test
    void listenPrintsLiveMessagesAsTheyArrive() throws Exception {
        register(alice, "alice");
        register(bob, "bob");
        var listening = CompletableFuture.supplyAsync(() -> bob.run("listen", "--json", "--count", "2", "--timeout", "15"));
        // bob's SYNC may come before or after the first send: both must be printed, in order
        ok(alice.run("send", "@bob", "first"));
        awaitSyncs(1); // bob is listening: the second arrives live
        ok(alice.run("send", "@bob", "second"));
        var r = listening.get(20, TimeUnit.SECONDS);
        ok(r);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).contains("\"room\":\"@alice\"").contains("\"text\":\"first\"");
        assertThat(r.lines().get(1)).contains("\"text\":\"second\"");
    }

    @Test
    void listenReconnectsWhenTheConnectionDrops() throws Exception {
        register(alice, "alice");
        register(bob, "bob");
        var listening = CompletableFuture.supplyAsync(() -> bob.run("listen", "--json", "--count", "2", "--timeout", "15"));
        ok(alice.run("send", "@bob", "before"));
        awaitSyncs(1);
        server.dropAll();
        awaitSyncs(2);
        ok(alice.run("send", "@bob", "after"));
        var r = listening.get(20, TimeUnit.SECONDS);
        ok(r);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(1)).contains("\"text\":\"after\"");
    }

    private void awaitSyncs(int n) {
        Await.until(() -> server.syncs.get() >= n, Duration.ofSeconds(10), n + " SYNCs");
    }

    @Test
    void sendRetriesOnceWithTheSameMessageIdAfterALostAck() {
        register(alice, "alice");
        register(bob, "bob");
        server.dropAfterStoring.set(1);
        var r = alice.run("send", "@bob", "exactly once");
        ok(r);
        assertThat(r.err()).contains("sending again");
        assertThat(server.sendsReceived).hasValue(2);
        assertThat(server.storedMessages()).isEqualTo(1);
        assertThat(bob.run("listen", "--timeout", "1").lines()).hasSize(1);
    }

    @Test
    void sendFailsWithExitThreeWhenTheRetryIsLostToo() {
        register(alice, "alice");
        register(bob, "bob");
        server.dropAfterStoring.set(2);
        var r = alice.run("send", "@bob", "x");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().lines().filter(l -> l.startsWith("crumbhub-client: connection")).count()).isEqualTo(2);
        assertThat(r.err()).contains("may or may not have stored");
    }

    @Test
    void sendToARoomImNotInIsRefusedWithExitTwo() {
        register(alice, "alice");
        var r = alice.run("send", "#nowhere", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("crumbhub-client: send to #nowhere refused by the server: you are not in #nowhere (not_member)\n");
    }

    @Test
    void changedServerKeyIsRefused() throws Exception {
        var other = X25519KeyPair.generate(new SecureRandom()).publicKey();
        Files.createDirectories(alice.home());
        Files.writeString(alice.file(KnownServers.FILE_NAME), server.address() + " " + Fingerprint.of(other) + "\n");
        var r = alice.stdin("pw long enough\n").run("register", server.address(), "alice", "--password-stdin");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("CHANGED").contains(Fingerprint.of(other))
                .contains(Fingerprint.of(server.publicKey())).contains(alice.file(KnownServers.FILE_NAME).toString());
        assertThat(alice.file(Home.SESSION_FILE)).doesNotExist();
    }

    @Test
    void changedServerKeyIsRefusedForAStoredSessionToo() throws Exception {
        register(alice, "alice");
        var other = X25519KeyPair.generate(new SecureRandom()).publicKey();
        Files.writeString(alice.file(KnownServers.FILE_NAME), server.address() + " " + Fingerprint.of(other) + "\n");
        var r = alice.run("send", "@alice", "x");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("CHANGED");
        assertThat(server.sendsReceived).hasValue(0);
    }

    @Test
    void removedPinIsRestoredFromTheSession() throws Exception {
        register(alice, "alice");
        Files.delete(alice.file(KnownServers.FILE_NAME));
        ok(alice.run("room", "list"));
        assertThat(Files.readString(alice.file(KnownServers.FILE_NAME))).contains(Fingerprint.of(server.publicKey()));
    }

    @Test
    void fingerprintOptionMakesFirstContactStrict() {
        var wrong = Fingerprint.of(X25519KeyPair.generate(new SecureRandom()).publicKey());
        var refused = alice.stdin("pw long enough\n").run("register", server.address(), "alice", "--password-stdin",
                "--fingerprint", wrong);
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).contains("not the expected " + wrong).contains(Fingerprint.of(server.publicKey()));
        assertThat(alice.file(KnownServers.FILE_NAME)).doesNotExist();

        var right = Fingerprint.of(server.publicKey()).replace(" ", ":").toUpperCase();
        ok(alice.stdin("pw long enough\n").run("register", server.address(), "alice", "--password-stdin", "--fingerprint", right));

        var garbage = bob.stdin("pw long enough\n").run("register", server.address(), "bob", "--password-stdin", "--fingerprint", "xyz");
        assertThat(garbage.exit()).isEqualTo(1);
    }

    @Test
    void wrongPasswordIsARefusal() {
        register(alice, "alice");
        var r = bob.stdin("nope\n").run("login", server.address(), "alice", "--password-stdin");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("login refused by the server").contains("bad_credentials");
    }

    @Test
    void loginFromASecondHomeAddsADeviceAndCanRevokeTheFirst() {
        register(alice, "alice");
        var laptop = new Run(tmp.resolve("laptop"));
        var login = laptop.stdin("secret-alice\n").run("login", server.address(), "alice", "--password-stdin",
                "--device-name", "laptop");
        ok(login);
        assertThat(login.out()).contains("logged in as alice").contains("(device 2)");
        var devices = laptop.run("devices");
        ok(devices);
        assertThat(devices.lines()).hasSize(2);
        assertThat(devices.lines().get(1)).startsWith("* 2").contains("laptop");
        assertThat(laptop.run("devices", "revoke", "2").exit()).isEqualTo(1);
        ok(laptop.run("devices", "revoke", "1"));

        var expired = alice.run("room", "list");
        assertThat(expired.exit()).isEqualTo(2);
        assertThat(expired.err()).isEqualTo("crumbhub-client: session expired; run crumbhub-client login\n");
    }

    @Test
    void logoutRevokesAndForgetsTheSession() {
        register(alice, "alice");
        var r = alice.run("logout");
        ok(r);
        assertThat(r.out()).contains("logged out alice");
        assertThat(alice.file(Home.SESSION_FILE)).doesNotExist();
        assertThat(alice.file(Home.DEVICE_FILE)).doesNotExist();
        var after = alice.run("room", "list");
        assertThat(after.exit()).isEqualTo(4);
        assertThat(after.err()).contains("not logged in");
        // a fresh login makes a new device
        var again = alice.stdin("secret-alice\n").run("login", server.address(), "alice", "--password-stdin");
        ok(again);
        assertThat(again.out()).contains("(device 2)");
    }

    @Test
    void unreachableServerIsANetworkError() {
        var r = alice.stdin("pw\n").run("login", "127.0.0.1:1", "alice", "--password-stdin");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("crumbhub-client: cannot connect to 127.0.0.1:1");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void passphraseProtectedStoreWorksWithTheEnvironmentVariable() {
        register(alice, "alice");
        ok(alice.env("CRUMBHUB_PASSPHRASE", "hunter2").run("passphrase"));
        ok(alice.run("send", "@alice", "note to self"));
        var noPassphrase = new Run(alice.home()).run("send", "@alice", "x");
        assertThat(noPassphrase.exit()).isEqualTo(4);
        var wrong = new Run(alice.home()).env("CRUMBHUB_PASSPHRASE", "hunter3").run("room", "list");
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(wrong.err()).contains("wrong passphrase");
    }
}
