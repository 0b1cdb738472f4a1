package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies, reactions, edits and deletes between two homes on the real image: the commands and
 * {@code listen --json}, the chat in tmux, and no plaintext of any of them on the server's disk or
 * on the network (docs/client.md "Replies, reactions, edits and deletes").
 */
@Timeout(180)
class InteractionsEndToEndTest {
    @TempDir
    Path tmp;

    private static boolean anyFileContains(Path dir, byte[] needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static List<Map<String, Object>> events(ClientHome who, int count) {
        return who.listenJson(count, 30).stream().filter(m -> !"member".equals(m.get("type"))).toList();
    }

    @Test
    void replyReactEditAndDeleteReachTheOtherHomeAndNoneOfThemIsInTheClearOnTheServer() throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        String emoji = "\uD83E\uDD9C"; // a parrot, used nowhere else
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, 0);
             RecordingRelay relay = new RecordingRelay(server.port)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            for (ClientHome h : List.of(alice, bob)) {
                Image.Result r = h.runWithInput("pw of " + h.user + "\n", "register", relay.address(), h.user,
                        "--password-stdin", "--fingerprint", server.fingerprint);
                assertThat(r.exit()).as(r.stderr()).isZero();
            }
            alice.ok("room", "create", "#vault");
            alice.ok("room", "invite", "#vault", "bob");
            bob.ok("room", "join", "#vault");

            alice.ok("send", "#vault", "original " + canary);
            String original = (String) events(bob, 1).getFirst().get("id");
            bob.ok("send", "#vault", "reply " + canary, "--reply-to", original);
            bob.ok("react", original, emoji);
            var toAlice = events(alice, 2);
            assertThat(toAlice).extracting(m -> m.get("type"), m -> m.get("text"), m -> m.get("reply_to"), m -> m.get("ref"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("message", "reply " + canary, original, null),
                            org.assertj.core.groups.Tuple.tuple("reaction", emoji, null, original));

            alice.ok("edit", original, "edited " + canary);
            var edit = events(bob, 1).getFirst();
            assertThat(edit).containsEntry("type", "edit").containsEntry("ref", original)
                    .containsEntry("text", "edited " + canary);
            Image.Result notHers = bob.run("delete", original);
            assertThat(notHers.exit()).isNotZero();
            assertThat(notHers.stderr()).contains("only the author");

            alice.ok("delete", original);
            var delete = events(bob, 1).getFirst();
            assertThat(delete).containsEntry("type", "delete").containsEntry("ref", original).doesNotContainKey("text");
            Image.Result history = bob.ok("history", "#vault", "--json");
            assertThat(history.stdout()).doesNotContain("original " + canary).doesNotContain("edited " + canary)
                    .contains("reply " + canary);

            assertThat(server.terminate()).isZero();
            for (String plain : List.of(canary, emoji)) {
                byte[] needle = plain.getBytes(StandardCharsets.UTF_8);
                assertThat(indexOf(relay.clientBytes(), needle)).as(plain + " in what clients sent").isEqualTo(-1);
                assertThat(indexOf(relay.serverBytes(), needle)).as(plain + " in what the server sent").isEqualTo(-1);
                assertThat(anyFileContains(data, needle)).as(plain + " in the server's data directory").isFalse();
                assertThat(anyFileContains(tmp.resolve("bob"), needle)).as(plain + " in bob's home at rest").isFalse();
            }
            assertThat(server.output()).doesNotContain(canary);
        }
    }

    @Test
    void inTheChatAReplyQuotesAReactionCountsAnEditIsMarkedAndADeleteLeavesATombstone() throws Exception {
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0); Tmux tmux = Tmux.start("interact")) {
            alice.register(server, "alice password 1");
            bob.register(server, "bob password 1");
            alice.ok("room", "create", "#general");
            alice.ok("room", "invite", "#general", "bob");
            bob.ok("room", "join", "#general");
            for (ClientHome who : List.of(alice, bob)) {
                tmux.shell(who.user, 120, 40);
                tmux.line(who.user, Image.bin("crumbhub-client") + " chat --home " + who.home + "; echo \"exit=$?\"");
                tmux.waitFor(who.user, "[connected]");
                tmux.line(who.user, "/join #general");
                tmux.waitFor(who.user, "[#general]");
            }

            tmux.line("alice", "lunch at noon?");
            tmux.waitFor("bob", "<alice> lunch at noon?");
            tmux.line("bob", "/react +1");
            tmux.waitFor("alice", "lunch at noon?  [+1 1]");
            tmux.line("bob", "/reply works for me");
            String quoted = tmux.waitFor("alice", "works for me");
            assertThat(quoted).contains("> alice: lunch at noon?");

            tmux.line("alice", "/edit lunch at one?");
            tmux.waitFor("bob", "lunch at one? (edited)  [+1 1]");
            // ^1 is bob's own reply, ^2 alice's message: not his to delete
            tmux.line("bob", "/delete ^2");
            tmux.waitFor("bob", "only the author edits or deletes a message");

            tmux.line("alice", "/delete");
            String tombstone = tmux.waitFor("bob", "(message deleted)");
            assertThat(tombstone).doesNotContain("lunch at one?");
            tmux.line("alice", "/help");
            tmux.waitFor("alice", "/react [^n] emoji");

            tmux.line("alice", "/quit");
            tmux.line("bob", "/quit");
            tmux.waitFor("alice", "exit=0");
            tmux.waitFor("bob", "exit=0");
        }
    }
}
