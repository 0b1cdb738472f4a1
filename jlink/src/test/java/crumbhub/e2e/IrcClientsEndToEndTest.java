package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crumbhub-client irc} of the image driven by real IRC clients nobody here wrote: ii (a
 * file-based client: a FIFO {@code in} and a log {@code out} per channel) and irssi (full screen,
 * inside tmux). A second user talks with {@code send} and {@code listen} (docs/irc.md).
 */
@Timeout(150)
class IrcClientsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    /** A server with alice and bob. */
    private ServerProcess twoUsers(ClientHome alice, ClientHome bob) throws Exception {
        ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0);
        alice.register(server, "alice password 1");
        bob.register(server, "bob password 1");
        return server;
    }

    /** A running ii: its directory of FIFOs and logs. */
    private record Ii(Process process, Path dir) implements AutoCloseable {
        static Ii start(Path dir, int port, String nick) throws IOException {
            Files.createDirectories(dir);
            var pb = new ProcessBuilder("ii", "-s", "127.0.0.1", "-p", Integer.toString(port), "-n", nick, "-i",
                    dir.toString());
            pb.redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
            return new Ii(pb.start(), dir.resolve("127.0.0.1"));
        }

        /** Writes a line to the {@code in} FIFO of the server ({@code ""}) or of a channel or query. */
        void say(String where, String line) throws IOException {
            Path fifo = (where.isEmpty() ? dir : dir.resolve(where)).resolve("in");
            Await.until(() -> Files.exists(fifo), WAIT, "ii's FIFO " + fifo);
            Files.writeString(fifo, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        }

        /** Waits until the {@code out} log of {@code where} has a line containing all of {@code parts}; returns it. */
        String await(String where, String... parts) {
            Path out = (where.isEmpty() ? dir : dir.resolve(where)).resolve("out");
            return Await.value(() -> {
                if (!Files.exists(out)) {
                    return java.util.Optional.<String>empty();
                }
                return lines(out).stream()
                        .filter(l -> List.of(parts).stream().allMatch(l::contains)).findFirst();
            }, WAIT, "a line with " + List.of(parts) + " in " + out);
        }

        private static List<String> lines(Path file) {
            try {
                return Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void iiJoinsARoomTalksWithASecondUserGetsOfflineMessagesAndAKeyChangeWarning() throws Exception {
        IrcGatewayProcess.require("ii", "ii");
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = twoUsers(alice, bob); var gateway = IrcGatewayProcess.start(alice)) {
            try (var ii = Ii.start(tmp.resolve("ii"), gateway.port, "alice")) {
                ii.await("", "Welcome to CrumbHub");
                ii.say("", "/j #dev");
                ii.await("#dev", "alice", "has joined"); // ii logs its own join in the channel
                ii.say("", "/INVITE bob #dev");
                Await.succeeds(() -> bob.ok("room", "join", "#dev"), WAIT, "bob's invitation to #dev");
                bob.ok("send", "#dev", "hello alice, from the command line");
                ii.await("#dev", "<bob>", "hello alice, from the command line");

                ii.say("#dev", "hi bob, from ii");
                List<Map<String, Object>> heard = bob.listenJson(1, 30);
                assertThat(heard).singleElement().satisfies(m -> {
                    assertThat(m).containsEntry("room", "#dev").containsEntry("from", "alice")
                            .containsEntry("text", "hi bob, from ii");
                });
                bob.ok("send", "@alice", "a word in private");
                ii.await("bob", "<bob>", "a word in private");
            }
            // ii has gone: what bob sends now waits on the server for the next IRC client
            bob.ok("send", "#dev", "sent while you were offline");
            try (var ii = Ii.start(tmp.resolve("ii2"), gateway.port, "alice")) {
                ii.await("#dev", "<bob>", "sent while you were offline");
                ii.await("#dev", "<bob>", "hello alice, from the command line"); // the replayed history

                ClientHome newBob = new ClientHome("bob", tmp.resolve("bob-new"));
                var reset = newBob.runWithInput("bob password 1\n", "login", server.address(), "bob",
                        "--password-stdin", "--new-identity");
                assertThat(reset.exit()).as(reset.stderr()).isZero();
                newBob.ok("send", "@alice", "after the reset");
                ii.await("&crumbhub", "warning", "bob");
            }
            assertThat(gateway.stop()).as(gateway.stderr()).isEqualTo(143); // SIGTERM, after closing cleanly
            assertThat(gateway.stderr()).doesNotContain("Exception");
        }
    }

    @Test
    void irssiInTmuxJoinsTalksAndSeesActions() throws Exception {
        IrcGatewayProcess.require("irssi", "irssi");
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = twoUsers(alice, bob); var gateway = IrcGatewayProcess.start(alice);
             Tmux tmux = Tmux.start("irssi")) {
            bob.ok("room", "create", "#ops");
            bob.ok("room", "invite", "#ops", "alice");
            tmux.shell("irc", 160, 40);
            Path irssiHome = tmp.resolve("irssi");
            Files.createDirectories(irssiHome);
            tmux.line("irc", "irssi --home=" + irssiHome + " -n alice -c 127.0.0.1 -p " + gateway.port);
            tmux.waitFor("irc", s -> s.contains("End of /MOTD command"), WAIT);
            tmux.line("irc", "/join #ops");
            tmux.waitFor("irc", s -> s.contains("alice") && s.contains("#ops") && s.contains("has joined"), WAIT);
            bob.ok("send", "#ops", "welcome to ops, alice");
            tmux.waitFor("irc", s -> s.contains("bob") && s.contains("welcome to ops, alice"), WAIT);
            tmux.line("irc", "thanks bob, from irssi");
            tmux.line("irc", "/me waves");
            List<Map<String, Object>> heard = bob.listenJson(2, 30);
            assertThat(heard).extracting(m -> m.get("text")).contains("thanks bob, from irssi");
            assertThat(heard).anySatisfy(m -> assertThat(String.valueOf(m.get("text"))).contains("waves"));
            bob.ok("send", "@alice", "psst");
            tmux.line("irc", "/query bob"); // the window of the query, made by the message or by this
            tmux.waitFor("irc", s -> s.contains("<bob> psst"), WAIT);
            tmux.line("irc", "and a private answer");
            assertThat(bob.listenJson(1, 30)).singleElement()
                    .satisfies(m -> assertThat(m).containsEntry("room", "@alice").containsEntry("text", "and a private answer"));
            tmux.line("irc", "/quit");
            assertThat(gateway.stop()).as(gateway.stderr()).isEqualTo(143);
        }
    }
}
