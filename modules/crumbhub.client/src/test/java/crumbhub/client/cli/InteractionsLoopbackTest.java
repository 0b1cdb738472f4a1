package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.home.Home;
import crumbhub.client.model.ConversationId;
import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send --reply-to}, {@code react}, {@code edit} and {@code delete} between users of the
 * real server (in-process, 127.0.0.1:0), and what {@code listen --json}, {@code history} and
 * {@code search} show of them (docs/client.md "Replies, reactions, edits and deletes").
 */
class InteractionsLoopbackTest {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{32})\"");

    @TempDir
    Path tmp;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(tmp.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run user(String name) {
        var who = new Run(tmp.resolve("home-" + name));
        ok(who.stdin("password of " + name + "\n").run("register", "127.0.0.1:" + server.address().getPort(), name,
                "--password-stdin"));
        return who;
    }

    private static void ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static String idOf(String jsonLine) {
        var m = ID.matcher(jsonLine);
        assertThat(m.find()).as(jsonLine).isTrue();
        return m.group(1);
    }

    /** The events {@code listen --json} prints until {@code count} of them were printed; membership lines left out. */
    private static List<String> listen(Run who, int count) {
        var r = who.run("listen", "--json", "--count", String.valueOf(count), "--timeout", "20");
        ok(r);
        return r.lines().stream().filter(l -> !l.contains("\"type\":\"member\"")).toList();
    }

    /** A room of {@code owner} with the others in it. */
    private static void room(Run owner, Run... others) {
        ok(owner.run("room", "create", "#general"));
        for (Run o : others) {
            String name = o.home().getFileName().toString().substring("home-".length());
            ok(owner.run("room", "invite", "#general", name));
            ok(o.run("room", "join", "#general"));
        }
    }

    @Test
    void repliesReactionsEditsAndDeletesReachEveryMemberAndTheHistory() {
        var alice = user("alice");
        var bob = user("bob");
        room(alice, bob);
        ok(alice.run("send", "#general", "hello", "bob"));
        String hello = idOf(listen(bob, 1).getFirst());

        ok(bob.run("send", "#general", "hi", "alice", "--reply-to", hello));
        ok(bob.run("react", hello, "\uD83D\uDC4D"));
        var seen = listen(alice, 2);
        assertThat(seen.get(0)).contains("\"text\":\"hi alice\"").contains("\"reply_to\":\"" + hello + "\"")
                .endsWith("\"type\":\"message\"}");
        assertThat(seen.get(1)).contains("\"from\":\"bob\"").contains("\"ref\":\"" + hello + "\"")
                .contains("\"emoji\":\"\uD83D\uDC4D\"").endsWith("\"type\":\"reaction\"}");
        assertThat(idOf(seen.get(1))).as("the event's own id").isNotEqualTo(hello);

        var notTheAuthor = bob.run("edit", hello, "hello", "eve");
        assertThat(notTheAuthor.exit()).isNotZero();
        assertThat(notTheAuthor.err()).contains("only the author edits or deletes");

        ok(alice.run("edit", hello, "hello", "bob,", "edited"));
        var edit = listen(bob, 1).getFirst();
        assertThat(edit).contains("\"text\":\"hello bob, edited\"").contains("\"ref\":\"" + hello + "\"")
                .endsWith("\"type\":\"edit\"}");
        var history = bob.run("history", "#general", "--json");
        ok(history);
        assertThat(history.out()).contains("hello bob, edited").contains("\"edited\":true");

        ok(alice.run("delete", hello));
        var delete = listen(bob, 1).getFirst();
        assertThat(delete).contains("\"ref\":\"" + hello + "\"").doesNotContain("\"text\"").endsWith("\"type\":\"delete\"}");
        for (Run who : List.of(alice, bob)) {
            var after = who.run("history", "#general", "--json");
            ok(after);
            assertThat(after.out()).doesNotContain("hello bob").contains("hi alice");
            var found = who.run("search", "hello");
            ok(found);
            assertThat(found.out()).as("gone from the search index").isEmpty();
        }
        var again = alice.run("edit", hello, "back");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("was deleted");
    }

    @Test
    void interactionsWorkInADirectConversation() {
        var alice = user("alice");
        var bob = user("bob");
        ok(alice.run("send", "@bob", "lunch?"));
        String lunch = idOf(listen(bob, 1).getFirst());
        ok(bob.run("react", lunch, "\u2705"));
        ok(bob.run("react", lunch, "\u2705", "--remove"));
        var seen = listen(alice, 2);
        assertThat(seen.get(0)).contains("\"room\":\"@bob\"").contains("\"removed\":false");
        assertThat(seen.get(1)).contains("\"removed\":true");
        var wrongPlace = bob.run("send", "#elsewhere", "yes", "--reply-to", lunch);
        assertThat(wrongPlace.exit()).isNotZero();
        assertThat(wrongPlace.err()).contains("is in @alice");
        var bad = bob.run("react", lunch, "two words");
        assertThat(bad.exit()).isNotZero();
        var unknown = bob.run("react", "0".repeat(32), "\u2705");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("not in this device's history");
    }

    @Test
    void aDeleteTakesTheMessageBackFromTheServerSoADeviceThatWasAwayNeverGetsIt() {
        var alice = user("alice");
        var bob = user("bob");
        ok(alice.run("send", "@bob", "sent", "by", "mistake"));
        var mine = alice.run("history", "@bob", "--json");
        ok(mine);
        String id = idOf(mine.lines().getFirst());
        var deleted = alice.run("delete", id);
        ok(deleted);
        var r = bob.run("listen", "--json", "--timeout", "3");
        ok(r);
        assertThat(r.out()).doesNotContain("sent by mistake");
        assertThat(r.err()).as("a delete of a message never fetched is no warning").doesNotContain("warning");
        var history = bob.run("history", "@alice", "--json");
        assertThat(history.out()).doesNotContain("sent by mistake");
    }

    /**
     * Mallory runs a client that lies to itself: her history claims alice's message is hers, so
     * her own check passes and she sends an edit and a delete of it. Bob's client drops both.
     */
    @Test
    void anEditOrDeleteFromAnyoneButTheAuthorIsDroppedWithAWarning() {
        var alice = user("alice");
        var bob = user("bob");
        var mallory = user("mallory");
        room(alice, bob, mallory);
        ok(alice.run("send", "#general", "pay", "alice"));
        String pay = idOf(listen(bob, 1).getFirst());
        listen(mallory, 1);
        claimAsOwn(mallory, pay);

        ok(mallory.run("edit", pay, "pay", "mallory"));
        ok(mallory.run("delete", pay));
        ok(alice.run("send", "#general", "after"));
        var r = bob.run("listen", "--json", "--count", "1", "--timeout", "20");
        ok(r);
        var shown = r.lines().stream().filter(l -> !l.contains("\"type\":\"member\"")).toList();
        assertThat(shown).hasSize(1);
        assertThat(shown.getFirst()).contains("\"text\":\"after\"");
        assertThat(r.err()).contains("warning: an edit from mallory").contains("warning: a delete from mallory")
                .contains("only the author edits or deletes");
        var history = bob.run("history", "#general", "--json");
        assertThat(history.out()).contains("\"text\":\"pay alice\"").doesNotContain("pay mallory");
    }

    /** Rewrites mallory's own history so that message {@code id} seems to be hers (a modified client). */
    private static void claimAsOwn(Run mallory, String id) {
        var rng = new SecureRandom();
        try (var home = Home.open(mallory.home(), prompt -> null, rng, 1000);
             var history = Context.openHistory(home, home.session(), rng)) {
            history.append(ConversationId.room("general"), List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, id,
                    "mallory", 1, Instant.now(), "mine", false)));
        }
    }
}
