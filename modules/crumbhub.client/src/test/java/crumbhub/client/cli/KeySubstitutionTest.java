package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that substitutes a peer's identity key (the {@link FakeServer} hook plays the
 * malicious server): an unverified contact's change is announced loudly, a verified contact is
 * not sent anything until verified again.
 */
class KeySubstitutionTest {
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
        register(alice, "alice");
        register(bob, "bob");
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

    /** The server hands out a key pair of its own as bob's device 1. */
    private void substituteBob() {
        var rng = new SecureRandom();
        var mallory = IdentityKeys.generate(rng);
        server.substituteKeys("bob", mallory.publicKey().encode(),
                SignedPreKeyPair.generate(mallory, 1, rng).publicPart().encode(),
                KemPreKeyPair.generate(mallory, 1, rng).publicPart().encode());
    }

    private static String number(Run.Result verify) {
        return verify.out().lines().skip(1).limit(3).map(String::strip).reduce("", (a, b) -> a + b);
    }

    @Test
    void bothSidesSeeTheSameSafetyNumber() {
        var a = alice.run("verify", "bob");
        var b = bob.run("verify", "alice");
        ok(a);
        ok(b);
        assertThat(number(a)).matches("(\\d{5} ){11}\\d{5}".replace(" ", " ?")).isEqualTo(number(b));
        assertThat(a.out()).contains("bob is not verified");
        var self = alice.run("verify", "alice");
        assertThat(self.exit()).isEqualTo(1);
    }

    @Test
    void aSubstitutedDeviceKeyGetsNothingForItCarriesNoApprovalOfTheAccount() {
        ok(alice.run("send", "@bob", "first"));
        int stored = server.storedMessages();
        substituteBob();
        var refused = alice.run("send", "@bob", "second");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("bob has no device that can receive");
        assertThat(server.storedMessages()).isEqualTo(stored);
    }

    @Test
    void aVerifiedContactWhoseAccountIdentityChangedGetsNothingUntilVerifiedAgain() {
        ok(alice.run("room", "create", "#pair"));
        ok(alice.run("room", "invite", "#pair", "bob"));
        ok(bob.run("room", "join", "#pair"));
        var before = alice.run("verify", "bob", "--confirm");
        ok(before);
        assertThat(before.out()).contains("marked bob as verified");
        assertThat(alice.run("verify", "bob").out()).contains("bob is verified");
        ok(alice.run("send", "@bob", "verified and fine"));
        int stored = server.storedMessages();

        // the server (or bob, resetting his account) presents another account identity, with a new device under it
        try (var other = crumbhub.crypto.account.AccountKeyPair.generate(1, new SecureRandom())) {
            var phone = new Run(tmp.resolve("bob-phone"));
            ok(phone.stdin("secret-bob\n").run("login", server.address(), "bob", "--password-stdin"));
            int phoneId = server.newestDevice("bob");
            server.serveAccount("bob", other.publicKey().encode());
            server.serveCertificate(phoneId, crumbhub.crypto.account.DeviceCertificate.issue(other, "bob", phoneId,
                    server.identityOf(phoneId), new SecureRandom()).encode());
        }
        var direct = alice.run("send", "@bob", "must not leave");
        assertThat(direct.exit()).isEqualTo(5);
        assertThat(direct.err()).contains("account identity of bob changed since you verified them")
                .contains("nothing was sent");
        var room = alice.run("send", "#pair", "must not leave either");
        assertThat(room.exit()).isEqualTo(5);
        assertThat(server.storedMessages()).isEqualTo(stored);

        var check = alice.run("verify", "bob");
        ok(check);
        assertThat(check.out()).contains("CHANGED");
        assertThat(number(check)).isNotEqualTo(number(before));
    }

    @Test
    void aNewApprovedDeviceOfAVerifiedContactChangesNothingAndGetsMessages() {
        var before = alice.run("verify", "bob", "--confirm");
        ok(before);
        var phone = new Run(tmp.resolve("bob-phone"));
        var login = phone.stdin("secret-bob\n").run("login", server.address(), "bob", "--password-stdin");
        ok(login);
        int phoneId = server.newestDevice("bob");
        ok(alice.run("send", "@bob", "before the approval"));
        assertThat(server.pairwiseFor(phoneId)).as("a pending device gets nothing").isZero();

        String code = login.lines().stream().filter(l -> l.startsWith("approval code: ")).findFirst().orElseThrow()
                .substring("approval code: ".length());
        var wrong = bob.run("devices", "approve", Integer.toString(phoneId), "--code", "AAAA-AAAA-AAAA-AAAA");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("does not match");
        ok(bob.run("devices", "approve", Integer.toString(phoneId), "--code", code));
        assertThat(bob.run("devices").out()).containsPattern("\\s" + phoneId + "\\s+\\S+\\s+approved");

        var sent = alice.run("send", "@bob", "to both devices");
        ok(sent);
        assertThat(sent.err()).doesNotContain("WARNING");
        assertThat(number(alice.run("verify", "bob"))).isEqualTo(number(before));
        var read = phone.run("listen", "--count", "1", "--timeout", "10");
        assertThat(read.out()).as(read.toString()).contains("to both devices").doesNotContain("before the approval");
        assertThat(read.err()).contains("this device was approved by device");
    }
}
