package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end encryption through the real image: the server, its disk and the network never see
 * a message's text; a second device of a user sees the conversations from its login on.
 */
class EncryptionEndToEndTest {

    /** Every file under {@code dir} (recursively) in which {@code needle} occurs, as bytes. */
    private static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    hits.add(p);
                }
            }
        }
        return hits;
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

    @Test
    void theCanaryIsNeitherOnTheServersDiskNorOnTheNetwork(@TempDir Path tmp) throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
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
            alice.ok("send", "#vault", "room says " + canary);
            alice.ok("send", "@bob", "direct says " + canary);
            bob.ok("send", "@alice", "reply says " + canary);

            List<Map<String, Object>> toBob = bob.listenJson(2, 30);
            assertThat(toBob).extracting(m -> m.get("text"))
                    .containsExactly("room says " + canary, "direct says " + canary);
            assertThat(alice.listenJson(1, 30)).extracting(m -> m.get("text")).containsExactly("reply says " + canary);

            assertThat(server.terminate()).isZero();
            assertThat(relay.clientBytes().length).as("traffic went through the relay").isGreaterThan(10_000);
            assertThat(indexOf(relay.clientBytes(), needle)).as("canary in what clients sent").isEqualTo(-1);
            assertThat(indexOf(relay.serverBytes(), needle)).as("canary in what the server sent").isEqualTo(-1);
            assertThat(filesContaining(data, needle)).as("files of the server holding the canary").isEmpty();
            assertThat(filesContaining(tmp.resolve("alice"), needle)).as("alice's home at rest").isEmpty();
            assertThat(filesContaining(tmp.resolve("bob"), needle)).as("bob's home at rest").isEmpty();
        }
    }

    @Test
    void aSecondDeviceSeesRoomsAndDirectMessagesSentAfterItsLogin(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome laptop = new ClientHome("alice", tmp.resolve("alice-laptop"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            laptop.register(server, "alice password");
            bob.register(server, "bob password");
            laptop.ok("room", "create", "#team");
            laptop.ok("room", "invite", "#team", "bob");
            bob.ok("room", "join", "#team");
            bob.ok("send", "#team", "old room news");
            bob.ok("send", "@alice", "old direct news");

            ClientHome phone = new ClientHome("alice", tmp.resolve("alice-phone"));
            Image.Result login = phone.runWithInput("alice password\n", "login", server.address(), "alice",
                    "--password-stdin");
            assertThat(login.exit()).as(login.stderr()).isZero();
            AccountsEndToEndTest.approve(laptop, login);

            bob.ok("send", "#team", "room news");
            bob.ok("send", "@alice", "direct news");
            laptop.ok("send", "@bob", "laptop to bob");

            List<Map<String, Object>> onPhone = phone.listenJson(3, 30);
            assertThat(onPhone).extracting(m -> m.get("room"), m -> m.get("from"), m -> m.get("text")).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("#team", "bob", "room news"),
                    org.assertj.core.groups.Tuple.tuple("@bob", "bob", "direct news"),
                    org.assertj.core.groups.Tuple.tuple("@bob", "alice", "laptop to bob"));
            assertThat(phone.listenJson(10, 2)).isEmpty();
            // the laptop also sees bob's join, a membership event (docs/client.md "Membership events")
            assertThat(laptop.listenJson(4, 30)).filteredOn(m -> !"member".equals(m.get("type")))
                    .extracting(m -> m.get("text"))
                    .containsExactly("old room news", "old direct news", "room news", "direct news");
        }
    }
}
