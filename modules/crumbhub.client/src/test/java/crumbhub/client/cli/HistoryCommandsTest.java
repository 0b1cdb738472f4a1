package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.Server;
import crumbhub.server.StartupException;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history} and {@code search} through the command line, against the real server in-process:
 * what {@code send}, {@code listen} and {@code daemon} receive or send is recorded, and read back
 * as {@code listen} prints it.
 */
class HistoryCommandsTest {
    @TempDir
    Path tmp;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(tmp.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400)).build());
    }

    private Run user(String name) {
        var run = new Run(tmp.resolve("home-" + name));
        ok(run.stdin("password of " + name + "\n").run("register", "127.0.0.1:" + server.address().getPort(), name,
                "--password-stdin"));
        return run;
    }

    private static Run.Result ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void historyAndSearchShowWhatSendListenAndTheDaemonRecorded() {
        start0();
        var alice = user("alice");
        var bob = user("bob");
        ok(alice.run("room", "create", "#team"));
        ok(alice.run("room", "invite", "#team", "bob"));
        ok(bob.run("room", "join", "#team"));

        ok(alice.run("send", "@bob", "The Budget meeting moved"));
        ok(alice.run("send", "#team", "budget draft attached"));
        ok(alice.run("send", "#team", "lunch at noon"));
        var listened = ok(bob.run("listen", "--json", "--count", "3", "--timeout", "10"));
        assertThat(listened.lines()).hasSize(3);
        ok(bob.stdin("{\"id\":1,\"op\":\"send\",\"to\":\"#team\",\"text\":\"BUDGET approved\"}\n")
                .run("daemon", "--json"));

        // bob's device: what listen printed, and what his daemon sent
        var history = ok(bob.run("history", "#team", "--json"));
        assertThat(history.lines()).hasSize(3);
        String listenedLine = listened.lines().stream().filter(l -> l.contains("budget draft")).findFirst().orElseThrow();
        assertThat(history.lines().getFirst()).isEqualTo(listenedLine);
        assertThat(history.lines().get(2)).contains("\"from\":\"bob\",\"text\":\"BUDGET approved\"");
        assertThat(ok(bob.run("history", "#team", "--limit", "1")).out())
                .matches("\\[\\d\\d:\\d\\d] #team <bob> BUDGET approved\\n");

        var found = ok(bob.run("search", "budget", "--json"));
        assertThat(found.lines()).hasSize(3);
        assertThat(found.lines()).anyMatch(l -> l.startsWith("{\"room\":\"@alice\",\"from\":\"alice\",\"text\":\"The Budget"));
        assertThat(ok(bob.run("search", "BUDGET", "--in", "@alice")).lines()).hasSize(1);
        assertThat(ok(bob.run("search", "draft", "attached")).out())
                .matches("\\[\\d\\d:\\d\\d] #team <alice> budget draft attached\\n");
        assertThat(ok(bob.run("search", "nothing like this")).out()).isEmpty();

        // alice's device: what send sent
        assertThat(ok(alice.run("history", "@bob")).out()).matches("\\[\\d\\d:\\d\\d] @bob <alice> The Budget meeting moved\\n");
        assertThat(ok(alice.run("search", "noon", "--json")).out()).contains("\"room\":\"#team\",\"from\":\"alice\"")
                .contains("\"text\":\"lunch at noon\"");
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() {
        start0();
        var alice = user("alice");
        var limit = alice.run("history", "@bob", "--limit", "0");
        assertThat(limit.exit()).isEqualTo(1);
        assertThat(limit.err().lines()).hasSize(1);
        assertThat(alice.run("history", "bob").exit()).isEqualTo(1);
        assertThat(alice.run("search", "x", "--in", "nowhere").exit()).isEqualTo(1);
        assertThat(ok(alice.run("history", "@nobody")).out()).isEmpty();
    }

    /** Canary: after sending, receiving and searching, no file of either home holds a word of the messages. */
    @Test
    void noHomeHoldsThePlaintextOfMessagesOrOfTheIndex() throws Exception {
        start0();
        var alice = user("alice");
        var bob = user("bob");
        ok(alice.run("send", "@bob", "Quetzalcoatlus flies over Zyzzyva"));
        ok(bob.run("listen", "--count", "1", "--timeout", "10"));
        ok(bob.run("send", "@alice", "zyzzyva answers quetzalcoatlus"));
        assertThat(ok(bob.run("search", "quetzal")).lines()).hasSize(2);
        assertThat(ok(alice.run("search", "ZYZZ")).lines()).hasSize(1);
        for (Run who : List.of(alice, bob)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(who.file("."))) {
                files = s.filter(Files::isRegularFile).toList();
            }
            assertThat(files).anyMatch(p -> p.toString().contains("/index/"));
            for (Path p : files) {
                String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).toLowerCase();
                for (String word : List.of("quetzal", "zyzzyva", "flies over", "answers", "coatl")) {
                    assertThat(content).as(p.toString()).doesNotContain(word);
                }
            }
        }
    }

    private void start0() {
        try {
            start();
        } catch (StartupException e) {
            throw new IllegalStateException(e);
        }
    }
}
