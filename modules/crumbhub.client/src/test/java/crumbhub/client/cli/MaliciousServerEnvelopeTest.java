package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's attacks on the end-to-end envelope by a server that lies ({@link FakeServer}), through
 * the commands: replays under a new seq and id, forged timestamps, a rewound home directory, a
 * failed send after the room chain went out (docs/crypto.md, "Envelope").
 */
class MaliciousServerEnvelopeTest {
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

    private Run.Result listenOne(Run who) {
        var r = who.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(r);
        return r;
    }

    @Test
    void aDirectMessageReplayedUnderANewSeqAndIdIsShownOnceAlsoAfterARestart() {
        ok(alice.run("send", "@bob", "pay carol 10"));
        assertThat(listenOne(bob).out()).contains("\"text\":\"pay carol 10\"");
        // the listen above has exited: the next one is a restarted client
        server.replayLastDeliveryTo("bob");
        var again = bob.run("listen", "--json", "--timeout", "1");
        ok(again);
        assertThat(again.out()).as("a replay under a new seq and wire id").isEmpty();
        server.replayLastDeliveryTo("bob");
        ok(alice.run("send", "@bob", "after"));
        var next = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(next);
        assertThat(next.lines()).hasSize(1).first().asString().contains("\"text\":\"after\"");
    }

    @Test
    void aRoomMessageReplayedUnderANewSeqAndIdIsShownOnce() {
        ok(alice.run("room", "create", "#ops"));
        ok(alice.run("room", "invite", "#ops", "bob"));
        ok(bob.run("room", "join", "#ops"));
        ok(alice.run("send", "#ops", "deploy now"));
        assertThat(listenOne(bob).out()).contains("\"text\":\"deploy now\"");
        server.replayLastDeliveryTo("bob");
        server.replayLastDeliveryTo("bob");
        var again = bob.run("listen", "--json", "--timeout", "1");
        ok(again);
        assertThat(again.out()).isEmpty();
    }

    @Test
    void aForgedDeliveryTimestampDoesNotChangeTheShownTime() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ok(alice.run("send", "@bob", "when?"));
        Instant after = Instant.now();
        server.forgeTimestamps(Instant.parse("2001-09-09T01:46:40Z").toEpochMilli());
        var json = listenOne(bob).out();
        Matcher ts = Pattern.compile("\"ts\":\"([^\"]+)\"").matcher(json);
        assertThat(ts.find()).as(json).isTrue();
        assertThat(Instant.parse(ts.group(1))).as("the sender's time, from inside the envelope").isBetween(before, after);
        assertThat(json).as("the server's time is only the receipt time").contains("\"received\":\"2001-09-09T01:46:40.000Z\"");
    }

    @Test
    void bodiesOfDifferentLengthsInOneBucketHaveCiphertextsOfEqualLength() {
        ok(alice.run("room", "create", "#ops"));
        ok(alice.run("room", "invite", "#ops", "bob"));
        ok(bob.run("room", "join", "#ops"));
        ok(alice.run("send", "#ops", "ok"));
        ok(alice.run("send", "#ops", "a somewhat longer line that still fits the first bucket of 256 bytes"));
        ok(alice.run("send", "#ops", "x".repeat(300)));
        List<Integer> lengths = server.bodyLengths("ops", 2);
        assertThat(lengths).hasSize(3);
        assertThat(lengths.get(0)).isEqualTo(lengths.get(1));
        assertThat(lengths.get(2)).as("the next bucket").isGreaterThan(lengths.get(1));
        ok(alice.run("send", "@bob", "ok"));
        ok(alice.run("send", "@bob", "a somewhat longer line that still fits the first bucket of 256 bytes"));
        List<Integer> direct = server.bodyLengths("bob", 1);
        assertThat(direct).hasSize(2);
        assertThat(direct.get(0)).isEqualTo(direct.get(1));
    }

    @Test
    void aHomeRestoredFromAnOlderCopyRefusesToSend() throws Exception {
        alice.env(Context.STATE_ENV, tmp.resolve("state").toString());
        ok(alice.run("room", "create", "#ops"));
        ok(alice.run("room", "invite", "#ops", "bob"));
        ok(bob.run("room", "join", "#ops"));
        ok(alice.run("send", "@bob", "one"));
        ok(alice.run("send", "#ops", "room one"));
        Path copy = tmp.resolve("alice-copy");
        copyTree(alice.home(), copy);
        ok(alice.run("send", "@bob", "two"));
        deleteTree(alice.home());
        copyTree(copy, alice.home());
        int stored = server.storedMessages();
        for (String[] send : List.of(new String[] {"send", "@bob", "three"}, new String[] {"send", "#ops", "room two"})) {
            var refused = alice.run(send);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
            assertThat(refused.err()).contains("restored from an older copy").contains("nothing was sent")
                    .doesNotContain("Exception");
        }
        assertThat(server.storedMessages()).as("nothing reached the server").isEqualTo(stored);
        var bobSees = bob.run("listen", "--json", "--timeout", "1");
        assertThat(bobSees.lines()).hasSize(3);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aMemberKickedAfterAFailedSendCannotReadTheNextMessage() {
        var carol = new Run(tmp.resolve("carol"));
        register(carol, "carol");
        ok(alice.run("room", "create", "#ops"));
        for (Run who : List.of(bob, carol)) {
            ok(alice.run("room", "invite", "#ops", who == bob ? "bob" : "carol"));
            ok(who.run("room", "join", "#ops"));
        }
        // the room key goes out with SEND_DEVICES, then the SEND itself fails
        server.refuseRoomSends.set(1);
        var failed = alice.run("send", "#ops", "never stored");
        assertThat(failed.exit()).as(failed.toString()).isNotZero();
        ok(alice.run("room", "kick", "#ops", "carol"));
        ok(alice.run("send", "#ops", "after the kick"));
        server.copyLastRoomMessageTo("carol");
        var carolSees = carol.run("listen", "--json", "--timeout", "1");
        ok(carolSees);
        assertThat(carolSees.out()).as("the chain was rotated: carol held it since the failed send").isEmpty();
        assertThat(carolSees.err()).contains("cannot read message");
        assertThat(listenOne(bob).out()).contains("\"text\":\"after the kick\"");
    }
}
