package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed one-time ML-KEM prekeys (issue 13, attack 7; docs/crypto.md "PQXDH") through the commands,
 * against a server that lies about them ({@link FakeServer.KemLie}): a forged one or the
 * last-resort key passed off as one is refused by the initiator, a second use of one is refused
 * by the responder, and sessions still start on the last-resort key when the pool is empty.
 */
class OneTimeKemPreKeyTest {
    @TempDir
    Path tmp;
    private FakeServer server;
    private Run alice;
    private Run bob;
    private Run carol;
    private int bobDevice;

    @BeforeEach
    void start() {
        server = new FakeServer();
        alice = new Run(tmp.resolve("alice"));
        bob = new Run(tmp.resolve("bob"));
        carol = new Run(tmp.resolve("carol"));
        register(alice, "alice");
        register(bob, "bob");
        bobDevice = server.newestDevice("bob");
        register(carol, "carol");
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
    void registerUploadsABatchAndEachSessionTakesOneThatTheResponderThenDeletes() {
        assertThat(server.kemPoolSize(bobDevice)).isEqualTo(40);
        ok(alice.run("send", "@bob", "hello"));
        assertThat(server.kemPoolSize(bobDevice)).isEqualTo(39);
        var r = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(r);
        assertThat(r.out()).contains("\"text\":\"hello\"");
        ok(carol.run("send", "@bob", "hi too"));
        var r2 = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(r2);
        assertThat(r2.out()).contains("\"text\":\"hi too\"");
    }

    @Test
    void aForgedOneTimeKemPreKeyIsRefusedByTheInitiator() {
        server.lieAboutKemPreKeys(FakeServer.KemLie.FORGE);
        var r = alice.run("send", "@bob", "secret plan");
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("one-time KEM prekey signature does not verify").contains("skipped that device");
        assertThat(server.pairwiseFor(bobDevice)).isZero();
    }

    @Test
    void theLastResortKeyPassedOffAsAOneTimeKeyIsRefusedByTheInitiator() {
        server.lieAboutKemPreKeys(FakeServer.KemLie.LAST_RESORT);
        var r = alice.run("send", "@bob", "secret plan");
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("one-time KEM prekey signature does not verify");
        assertThat(server.pairwiseFor(bobDevice)).isZero();
    }

    @Test
    void theResponderRefusesASecondSessionOnTheSameOneTimeKemPreKey() {
        server.lieAboutKemPreKeys(FakeServer.KemLie.REPEAT);
        ok(alice.run("send", "@bob", "first"));
        var first = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(first);
        assertThat(first.out()).contains("\"text\":\"first\"");
        ok(carol.run("send", "@bob", "second"));
        var second = bob.run("listen", "--json", "--timeout", "2");
        ok(second);
        assertThat(second.out()).doesNotContain("second");
        assertThat(second.err()).contains("cannot read message").contains("one-time KEM prekey")
                .contains("unknown or already used");
    }

    @Test
    void aDeviceToldThatItsPoolRunsLowUploadsMore() throws Exception {
        int syncs = server.syncs.get();
        var listening = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> bob.run("listen", "--json", "--count", "1", "--timeout", "30"));
        Await.until(() -> server.syncs.get() > syncs, "bob's listen synced");
        server.drainKemPool(bobDevice);
        Await.until(() -> server.kemPoolSize(bobDevice) == 40, "bob's device refilled its pool");
        ok(alice.run("send", "@bob", "after the refill"));
        var r = listening.get();
        ok(r);
        assertThat(r.out()).contains("\"text\":\"after the refill\"");
        assertThat(server.kemPoolSize(bobDevice)).isEqualTo(39);
    }

    @Test
    void sessionsStillStartOnTheLastResortKeyWhenThePoolIsEmpty() {
        server.drainKemPool(bobDevice);
        ok(alice.run("send", "@bob", "fallback"));
        var r = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(r);
        assertThat(r.out()).contains("\"text\":\"fallback\"");
    }
}
