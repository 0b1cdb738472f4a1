package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two people chatting through the real image: a server process and client processes. */
class ChatEndToEndTest {
    private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    @Test
    void twoUsersTalkInARoomAndDirectly(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            assertThat(server.fingerprint).matches("([0-9a-f]{4} ){15}[0-9a-f]{4}");
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            alice.register(server, "correct horse battery");
            bob.register(server, "staple grape rocket");

            alice.ok("room", "create", "#general");
            alice.ok("room", "invite", "#general", "bob");
            bob.ok("room", "join", "#general");
            assertThat(alice.ok("room", "members", "#general").stdout()).contains("alice").contains("bob");
            assertThat(bob.ok("room", "list").stdout()).contains("general");

            alice.ok("send", "#general", "hello", "bob", "\u2713 \"quoted\"");
            bob.ok("send", "#general", "hi alice");
            alice.ok("send", "@bob", "psst");
            bob.ok("send", "@alice", "back at you");

            List<Map<String, Object>> toBob = bob.listenJson(2, 30);
            assertThat(toBob).extracting(m -> m.get("room"), m -> m.get("from"), m -> m.get("text"))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("#general", "alice", "hello bob \u2713 \"quoted\""),
                            org.assertj.core.groups.Tuple.tuple("@alice", "alice", "psst"));
            List<Map<String, Object>> toAlice = alice.listenJson(2, 30);
            assertThat(toAlice).extracting(m -> m.get("room"), m -> m.get("from"), m -> m.get("text"))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("#general", "bob", "hi alice"),
                            org.assertj.core.groups.Tuple.tuple("@bob", "bob", "back at you"));
            for (Map<String, Object> m : concat(toBob, toAlice)) {
                assertThat((String) m.get("ts")).matches(ISO_UTC);
                assertThat((String) m.get("id")).isNotBlank();
            }
            assertThat(concat(toBob, toAlice)).extracting(m -> m.get("id")).doesNotHaveDuplicates();

            // printed once: a second listen sees nothing old
            assertThat(bob.listenJson(10, 2)).isEmpty();
            assertThat(server.terminate()).as("SIGTERM exits 0").isZero();
        }
    }

    @Test
    void offlineUserReceivesEverythingSentMeanwhileOnceAcrossARestart(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome carol = new ClientHome("carol", tmp.resolve("carol"));
        int port;
        try (ServerProcess server = ServerProcess.start(data, 0)) {
            port = server.port;
            alice.register(server, "alice password 1");
            carol.register(server, "carol password 1");
            alice.ok("room", "create", "#ops");
            alice.ok("room", "invite", "#ops", "carol");
            carol.ok("room", "join", "#ops");
            for (int i = 0; i < 3; i++) {
                alice.ok("send", "@carol", "direct " + i);
                alice.ok("send", "#ops", "room " + i);
            }
            assertThat(server.terminate()).isZero();
        }
        try (ServerProcess server = ServerProcess.start(data, port)) {
            List<Map<String, Object>> got = carol.listenJson(6, 30);
            assertThat(got).extracting(m -> m.get("text")).containsExactly(
                    "direct 0", "room 0", "direct 1", "room 1", "direct 2", "room 2");
            assertThat(carol.listenJson(10, 2)).isEmpty();
        }
    }

    @Test
    void aMemberWhoLeavesOrIsKickedReceivesNothingAfterwards(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            ClientHome dave = new ClientHome("dave", tmp.resolve("dave"));
            alice.register(server, "alice password 2");
            bob.register(server, "bob password 2");
            dave.register(server, "dave password 2");
            alice.ok("room", "create", "#team");
            alice.ok("room", "invite", "#team", "bob");
            alice.ok("room", "invite", "#team", "dave");
            bob.ok("room", "join", "#team");
            dave.ok("room", "join", "#team");
            alice.ok("send", "#team", "before");
            bob.ok("room", "leave", "#team");
            alice.ok("room", "kick", "#team", "dave");
            alice.ok("send", "#team", "after");
            // a direct message after "after" marks the end: whatever reached bob or dave of the room
            // arrived before it, so waiting for two messages needs no idle timeout
            alice.ok("send", "@bob", "marker");
            alice.ok("send", "@dave", "marker");
            assertThat(bob.listenJson(2, 60)).extracting(m -> m.get("text")).containsExactly("before", "marker");
            assertThat(dave.listenJson(2, 60)).extracting(m -> m.get("text")).containsExactly("before", "marker");
            Image.Result refused = dave.run("send", "#team", "let me back");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.stderr().strip()).doesNotContain("\n").isNotEmpty();
        }
    }

    @Test
    void aChangedServerKeyIsRefused(@TempDir Path tmp) throws Exception {
        ClientHome erin = new ClientHome("erin", tmp.resolve("erin"));
        int port;
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data1"), 0)) {
            erin.register(server, "erin password 3");
            port = server.port;
            server.terminate();
        }
        try (ServerProcess other = ServerProcess.start(tmp.resolve("data2"), port)) {
            Image.Result r = erin.run("send", "@erin", "hello?");
            assertThat(r.exit()).isNotZero();
            assertThat(r.stderr()).containsIgnoringCase("key").doesNotContain("Exception");
            Image.Result strict = new ClientHome("frank", tmp.resolve("frank")).runWithInput("pw frank 123\n",
                    "register", other.address(), "frank", "--password-stdin",
                    "--fingerprint", "0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000");
            assertThat(strict.exit()).isNotZero();
            Image.Result good = new ClientHome("gina", tmp.resolve("gina")).runWithInput("pw gina 123\n",
                    "register", other.address(), "gina", "--password-stdin", "--fingerprint", other.fingerprint.toUpperCase());
            assertThat(good.exit()).as(good.stderr()).isZero();
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
