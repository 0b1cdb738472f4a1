package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes the screenshots of docs/chat.md from a realistic session of the real program: four people,
 * two rooms, a direct message, a mention, a topic, then the server going away. Run by hand:
 *
 * <pre>
 *   mvn -B -o -pl jlink -am verify -Dtest=ChatScreenshots -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dcrumbhub.screenshots=$PWD/docs/screenshots
 * </pre>
 *
 * Each screen is written twice: {@code NAME.txt} as {@code tmux capture-pane -e -p} gives it
 * (colours kept as escape sequences: {@code cat} it in a terminal) and {@code NAME.plain.txt}.
 */
class ChatScreenshots {
    @TempDir
    Path tmp;

    @Test
    void screenshots() throws Exception {
        String where = System.getProperty("crumbhub.screenshots");
        Assumptions.assumeTrue(where != null && !where.isBlank(), "set -Dcrumbhub.screenshots=DIR to make them");
        Path out = Path.of(where);
        Files.createDirectories(out);
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        ClientHome carol = new ClientHome("carol", tmp.resolve("carol"));
        ClientHome dave = new ClientHome("dave", tmp.resolve("dave"));
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0); Tmux tmux = Tmux.start("shots")) {
            for (ClientHome who : new ClientHome[] {alice, bob, carol, dave}) {
                who.register(server, "password of " + who.user);
            }
            alice.ok("room", "create", "#general");
            alice.ok("room", "create", "#ops");
            for (ClientHome who : new ClientHome[] {bob, carol, dave}) {
                alice.ok("room", "invite", "#general", who.user);
                who.ok("room", "join", "#general");
            }
            alice.ok("room", "invite", "#ops", "bob");
            bob.ok("room", "join", "#ops");
            bob.ok("send", "#general", "morning all");
            carol.ok("send", "#general", "morning! the 0.2 release notes are up, the part about reconnects is worth a read");
            dave.runWithInput("{\"op\":\"send\",\"to\":\"#general\",\"text\":\"grabs a coffee\",\"kind\":\"action\"}\n",
                    "daemon", "--json");
            bob.ok("send", "#general", "carol: nice, the history is encrypted at rest now too");

            tmux.shell("alice", 100, 20);
            tmux.line("alice", "clear; " + Image.bin("crumbhub-client") + " chat --home " + alice.home);
            tmux.waitFor("alice", "[connected]");
            tmux.line("alice", "/join #general");
            tmux.waitFor("alice", "<bob> carol: nice");
            tmux.line("alice", "hi everyone, release day!");
            tmux.line("alice", "/me puts the kettle on");
            tmux.line("alice", "/topic Release day: be kind, stay encrypted");
            tmux.waitFor("alice", "[#general (4)]");
            carol.ok("send", "#general", "alice: could you look at the build on #ops when you have a minute?");
            bob.ok("send", "#ops", "deploy of 0.2 is green");
            bob.ok("send", "@alice", "lunch at one?");
            tmux.waitFor("alice", "could you look at the build");
            tmux.waitFor("alice", s -> s.contains("@bob") && s.contains("!1"), Tmux.WAIT);
            save(tmux, "alice", out, "chat-wide");

            tmux.resize("alice", 56, 18);
            tmux.waitFor("alice", s -> s.startsWith(" 1:status"), Tmux.WAIT);
            save(tmux, "alice", out, "chat-narrow");
            tmux.resize("alice", 100, 20);
            tmux.waitFor("alice", s -> s.contains(" 1 status       │"), Tmux.WAIT);

            tmux.keys("alice", "M-3"); // #ops
            tmux.waitFor("alice", "deploy of 0.2 is green");
            tmux.line("alice", "/who");
            tmux.waitFor("alice", "members of #ops");
            save(tmux, "alice", out, "chat-who");

            tmux.keys("alice", "M-2");
            tmux.waitFor("alice", "[#general");
            server.terminate();
            tmux.waitFor("alice", "retry in");
            tmux.line("alice", "back in five, the server is restarting");
            tmux.waitFor("alice", s -> s.contains("[1 pending]") && s.contains("retry in"), Tmux.WAIT);
            save(tmux, "alice", out, "chat-offline");
        }
    }

    private static void save(Tmux tmux, String session, Path dir, String name) throws Exception {
        String coloured = tmux.screenWithColours(session);
        String plain = tmux.screen(session);
        assertThat(plain).isNotBlank();
        Files.writeString(dir.resolve(name + ".txt"), coloured);
        Files.writeString(dir.resolve(name + ".plain.txt"), plain);
    }
}
