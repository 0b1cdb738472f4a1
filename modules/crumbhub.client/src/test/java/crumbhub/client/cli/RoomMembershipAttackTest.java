package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.RoomStatement;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, attack 6: room membership is the server's word. A server that lies ({@link FakeServer})
 * adds members nobody invited, forges removals and reorders or drops the signed membership log;
 * the clients check the log (docs/crypto.md "Room membership") and send their room key only to
 * members whose joining the room's owner signed.
 */
class RoomMembershipAttackTest {
    @TempDir
    Path tmp;
    private FakeServer server;
    private Run alice;
    private Run bob;
    private Run mallory;

    @BeforeEach
    void start() {
        server = new FakeServer();
        alice = new Run(tmp.resolve("alice"));
        bob = new Run(tmp.resolve("bob"));
        mallory = new Run(tmp.resolve("mallory"));
        register(alice, "alice");
        register(bob, "bob");
        register(mallory, "mallory");
        ok(alice.run("room", "create", "#ops"));
        ok(alice.run("room", "invite", "#ops", "bob"));
        ok(bob.run("room", "join", "#ops"));
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
    void aMemberTheServerAddsWithoutASignedInvitationIsNotSentTheRoomKey() {
        server.addMemberUnsigned("ops", "mallory");
        int malloryDevice = server.newestDevice("mallory");
        var sent = alice.run("send", "#ops", "the launch codes");
        ok(sent);
        assertThat(server.pairwiseFor(malloryDevice)).as("no room key went to mallory's device").isZero();
        assertThat(sent.err()).contains("WARNING").contains("#ops").contains("mallory")
                .contains("not sent your room key");
        assertThat(sent.err().lines().filter(l -> l.contains("mallory")).count()).as("one warning line").isEqualTo(1);
        var bobSees = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(bobSees);
        assertThat(bobSees.out()).contains("\"text\":\"the launch codes\"");
    }

    @Test
    void anInvitationSignedByAMemberWhoIsNotTheOwnerAdmitsNobody() {
        // a lying server takes bob's invitation although only the owner invites, and mallory's join
        ok(bob.run("room", "invite", "#ops", "mallory"));
        ok(mallory.run("room", "join", "#ops"));
        int malloryDevice = server.newestDevice("mallory");
        var sent = alice.run("send", "#ops", "owners only invite");
        ok(sent);
        assertThat(server.pairwiseFor(malloryDevice)).isZero();
        assertThat(sent.err()).contains("bob invite mallory").contains("breaks the room's rules")
                .contains("not sent your room key");
    }

    @Test
    void aForgedRemovalIsNotShownAndWarnedAbout() throws Exception {
        // the server drops bob and writes a "kick" in alice's name that alice's account never signed
        List<byte[]> log = server.roomLog("ops");
        byte[] head = MessageDigest.getInstance("SHA-256").digest(log.getLast());
        try (var forger = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, new SecureRandom())) {
            var kick = RoomStatement.sign(forger, "ops", log.size(), head, "alice", RoomStatement.Action.KICK, "bob",
                    List.of(), List.of(), System.currentTimeMillis(), new SecureRandom());
            var forged = new ArrayList<>(log);
            forged.add(kick.encode());
            server.rewriteRoomLog("ops", forged);
        }
        server.removeMemberUnsigned("ops", "bob");
        var sent = alice.run("send", "#ops", "is bob gone?");
        ok(sent);
        assertThat(sent.err()).contains("alice kick bob").contains("is not signed by alice's account identity")
                .contains("leaves out bob");
        var listen = alice.run("listen", "--json", "--timeout", "1");
        ok(listen);
        assertThat(listen.out()).doesNotContain("\"action\":\"kick\"");
    }

    @Test
    void aStatementDroppedFromTheMiddleOfTheLogIsDetected() {
        ok(alice.run("room", "invite", "#ops", "mallory"));
        List<byte[]> log = server.roomLog("ops");
        assertThat(log).hasSize(4); // create, invite bob, bob joins, invite mallory
        // the server hides bob's join from a newcomer
        server.rewriteRoomLog("ops", List.of(log.get(0), log.get(1), log.get(3)));
        var join = mallory.run("room", "join", "#ops");
        assertThat(join.err()).contains("WARNING").contains("statement 2 of the membership log of #ops does not follow");
        // and a member who verified all four notices the log shrank
        var sent = alice.run("send", "#ops", "still here");
        assertThat(sent.err()).contains("holds 3 statements, fewer than the 4 this device verified");
    }

    @Test
    void reorderedStatementsAreDetected() {
        ok(alice.run("room", "invite", "#ops", "mallory"));
        List<byte[]> log = server.roomLog("ops");
        server.rewriteRoomLog("ops", List.of(log.get(0), log.get(2), log.get(1), log.get(3)));
        var join = mallory.run("room", "join", "#ops");
        assertThat(join.err()).contains("statement 1 of the membership log of #ops does not follow");
    }

    @Test
    void everyMembershipChangeIsShownInTheRoom() {
        var carol = new Run(tmp.resolve("carol"));
        register(carol, "carol");
        ok(alice.run("room", "invite", "#ops", "carol"));
        ok(carol.run("room", "join", "#ops"));
        ok(alice.run("room", "kick", "#ops", "carol"));
        ok(alice.run("send", "#ops", "after the changes"));
        var json = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(json);
        List<String> lines = json.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("\"type\":\"member\"").contains("\"room\":\"#ops\"")
                .contains("\"action\":\"invite\"").contains("\"by\":\"alice\"").contains("\"user\":\"carol\"");
        assertThat(lines.get(1)).contains("\"action\":\"join\"").contains("\"user\":\"carol\"");
        assertThat(lines.get(2)).contains("\"action\":\"kick\"").contains("\"by\":\"alice\"").contains("\"user\":\"carol\"");
        assertThat(lines.get(3)).contains("\"text\":\"after the changes\"");
        ok(alice.run("send", "#ops", "again"));
        var plain = bob.run("listen", "--count", "1", "--timeout", "10");
        ok(plain);
        assertThat(plain.lines()).as("each change is shown once").hasSize(1);
    }

    @Test
    void aRoomFromBeforeSignedMembershipIsSignedByItsOwnerAsItStands() {
        server.legacyRoom("old", "alice", "bob");
        var sent = bob.run("send", "#old", "before the owner signs");
        ok(sent);
        assertThat(sent.err()).contains("#old has no signed membership log yet");
        var signed = alice.run("send", "#old", "the owner signs");
        ok(signed);
        assertThat(signed.err()).contains("signed the membership of #old").contains("bob");
        assertThat(server.roomLog("old")).hasSize(1);
        server.addMemberUnsigned("old", "mallory");
        int malloryDevice = server.newestDevice("mallory");
        var afterwards = bob.run("send", "#old", "signed now");
        ok(afterwards);
        assertThat(afterwards.err()).contains("mallory").doesNotContain("no signed membership log");
        assertThat(server.pairwiseFor(malloryDevice)).isZero();
    }
}
