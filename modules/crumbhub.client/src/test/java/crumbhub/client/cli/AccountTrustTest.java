package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.DeviceCertificate;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks 1–3 of docs/security.md with a server that lies ({@link FakeServer}): a device the
 * server (or a thief with the password) adds to an account gets nothing and speaks for nobody,
 * and safety numbers cover the two account identities only.
 */
class AccountTrustTest {
    @TempDir
    Path tmp;
    private FakeServer server;
    private Run alice;
    private Run bob;
    private Run ghost;
    private final SecureRandom rng = new SecureRandom();

    @BeforeEach
    void start() {
        server = new FakeServer();
        alice = new Run(tmp.resolve("alice"));
        bob = new Run(tmp.resolve("bob"));
        ghost = new Run(tmp.resolve("ghost"));
        register(alice, "alice");
        register(bob, "bob");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Run.Result ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private void register(Run who, String user) {
        var r = ok(who.stdin("secret-" + user + "\n").run("register", server.address(), user, "--password-stdin"));
        assertThat(r.out()).containsPattern("(?m)^recovery code: ([0-9A-Z]{4}-){7}[0-9A-Z]{4}$");
    }

    /** The thief with alice's password (or the server itself) adds a device to her account. */
    private int ghostLogsInAsAlice() {
        var r = ok(ghost.stdin("secret-alice\n").run("login", server.address(), "alice", "--password-stdin"));
        assertThat(r.out()).contains("PENDING").containsPattern("approval code: ([0-9A-Z]{4}-){3}[0-9A-Z]{4}");
        return server.newestDevice("alice");
    }

    @Test
    void aGhostDeviceOnTheSendersOwnAccountReceivesNothing() {
        int ghostId = ghostLogsInAsAlice();
        var sent = ok(alice.run("send", "@bob", "for bob only"));
        assertThat(sent.err()).as("alice is told about the pending device")
                .contains("PENDING device " + ghostId);
        ok(alice.run("room", "create", "#ops"));
        ok(alice.run("room", "invite", "#ops", "bob"));
        ok(bob.run("room", "join", "#ops"));
        ok(alice.run("send", "#ops", "room secret"));
        assertThat(server.pairwiseFor(ghostId)).as("direct messages and room chains stored for the ghost device")
                .isZero();
        var read = ok(bob.run("listen", "--timeout", "5", "--count", "2"));
        assertThat(read.out()).contains("for bob only").contains("room secret");
    }

    @Test
    void safetyNumbersCoverTheAccountIdentitiesOnly() {
        List<String> before = number(alice.run("verify", "bob"));
        assertThat(number(bob.run("verify", "alice"))).as("both sides see one number").isEqualTo(before);
        var bobsGhost = new Run(tmp.resolve("bobs-ghost"));
        ok(bobsGhost.stdin("secret-bob\n").run("login", server.address(), "bob", "--password-stdin"));
        assertThat(number(alice.run("verify", "bob"))).as("a new device changes nothing").isEqualTo(before);

        try (var fake = AccountKeyPair.generate(1, rng)) {
            server.serveAccount("bob", fake.publicKey().encode());
            var seenByAlice = alice.run("verify", "bob");
            assertThat(number(seenByAlice)).as("a substituted account identity shows in the number")
                    .isNotEqualTo(number(bob.run("verify", "alice")));
        }
    }

    private static List<String> number(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.lines().stream().filter(l -> l.matches("\\s+\\d{5}( \\d{5}){3}")).toList();
    }

    /** Makes the ghost's client believe it is approved: the server serves an identity of its own that signs the ghost. */
    private void ghostBelievesItIsApproved(int ghostId, AccountKeyPair fake) {
        byte[] real = server.accountIdentity("alice");
        server.serveAccount("alice", fake.publicKey().encode());
        server.serveCertificate(ghostId, DeviceCertificate.issue(fake, "alice", ghostId, server.identityOf(ghostId), rng)
                .encode());
        ok(ghost.run("room", "list")); // any command: the pending device looks for its approval
        server.freezeAccount("alice");
        ok(ghost.run("send", "@bob", "I am alice, send me the keys"));
        server.serveAccount("alice", real);
    }

    @Test
    void aMessageFromADeviceTheAccountNeverApprovedIsNotShownAsTheUsers() {
        ok(alice.run("send", "@bob", "hello from the real alice"));
        assertThat(ok(bob.run("listen", "--timeout", "5", "--count", "1")).out()).contains("hello from the real alice");
        int ghostId = ghostLogsInAsAlice();
        try (var fake = AccountKeyPair.generate(1, rng)) {
            ghostBelievesItIsApproved(ghostId, fake);
        }
        server.serveCertificate(ghostId, null);
        var read = bob.run("listen", "--timeout", "2", "--count", "1");
        assertThat(read.out()).doesNotContain("I am alice");
        assertThat(read.err().lines().filter(l -> l.contains("alice's device " + ghostId)).toList())
                .as(read.toString()).singleElement().satisfies(l -> assertThat(l).contains("never approved"));
    }

    @Test
    void aVerifiedUsersMessageUnderAnotherAccountIdentityIsNotShown() {
        ok(alice.run("send", "@bob", "hello from the real alice"));
        assertThat(ok(bob.run("listen", "--timeout", "5", "--count", "1")).out()).contains("hello from the real alice");
        ok(bob.run("verify", "alice", "--confirm"));
        int ghostId = ghostLogsInAsAlice();
        try (var fake = AccountKeyPair.generate(1, rng)) {
            ghostBelievesItIsApproved(ghostId, fake);
            server.serveAccount("alice", fake.publicKey().encode()); // the server keeps lying to bob too
            var read = bob.run("listen", "--timeout", "2", "--count", "1");
            assertThat(read.out()).doesNotContain("I am alice");
            assertThat(read.err()).contains("account identity of alice has CHANGED").contains("never approved");
            var refused = bob.run("send", "@alice", "are you there?");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.err()).contains("changed since you verified");
        }
    }

    @Test
    void theRecoveryCodeApprovesANewDeviceAtOnceAndAWrongOneIsRefused() {
        var fresh = new Run(tmp.resolve("carol"));
        var reg = ok(fresh.stdin("secret-carol\n").run("register", server.address(), "carol", "--password-stdin"));
        String code = reg.lines().stream().filter(l -> l.startsWith("recovery code: ")).findFirst().orElseThrow()
                .substring("recovery code: ".length());
        var wrongDevice = new Run(tmp.resolve("carol-wrong"));
        var wrong = wrongDevice.stdin("secret-carol\nAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA\n")
                .run("login", server.address(), "carol", "--password-stdin", "--recovery-code-stdin");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("recovery code does not open");

        var tablet = new Run(tmp.resolve("carol-tablet"));
        var login = ok(tablet.stdin("secret-carol\n" + code.toLowerCase() + "\n")
                .run("login", server.address(), "carol", "--password-stdin", "--recovery-code-stdin"));
        assertThat(login.out()).contains("approved (recovery code)").doesNotContain("PENDING");
        ok(bob.run("send", "@carol", "hello carol"));
        assertThat(ok(tablet.run("listen", "--count", "1", "--timeout", "10")).out()).contains("hello carol");
        ok(tablet.run("send", "@bob", "hello from the tablet"));
        assertThat(ok(bob.run("listen", "--count", "1", "--timeout", "10")).out()).contains("hello from the tablet");
    }

    @Test
    void anAccountResetIsAnnouncedAndAVerifiedContactMustVerifyAgain() {
        ok(alice.run("send", "@bob", "before the reset"));
        ok(bob.run("listen", "--count", "1", "--timeout", "10"));
        ok(bob.run("verify", "alice", "--confirm"));
        var newAlice = new Run(tmp.resolve("alice-new"));
        var reset = ok(newAlice.stdin("secret-alice\n").run("login", server.address(), "alice", "--password-stdin",
                "--new-identity"));
        assertThat(reset.out()).contains("NEW identity").containsPattern("(?m)^recovery code: ");

        var refused = bob.run("send", "@alice", "are you still you?");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.err()).contains("changed since you verified");
        var oldDevice = alice.run("send", "@bob", "the old laptop");
        assertThat(oldDevice.err()).contains("different account identity for YOUR account");

        ok(bob.run("verify", "alice", "--confirm"));
        ok(bob.run("send", "@alice", "welcome back"));
        assertThat(ok(newAlice.run("listen", "--count", "1", "--timeout", "10")).out()).contains("welcome back");
    }
}
