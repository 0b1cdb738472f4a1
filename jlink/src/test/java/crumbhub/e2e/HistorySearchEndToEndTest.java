package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history} and {@code search} through the image: what {@code send} sent and {@code listen}
 * received is read back from the encrypted local store, as {@code listen --json} printed it, and
 * no file of the homes holds a word of it.
 */
class HistorySearchEndToEndTest {

    @Test
    void historyAndSearchReadBackWhatWasSentAndReceived(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            alice.register(server, "pw of alice");
            bob.register(server, "pw of bob");
            alice.ok("room", "create", "#plans");
            alice.ok("room", "invite", "#plans", "bob");
            bob.ok("room", "join", "#plans");
            alice.ok("send", "#plans", "Marzipan tasting on Friday");
            alice.ok("send", "@bob", "bring the MARZIPAN please");
            alice.ok("send", "#plans", "and coffee");

            Image.Result listened = bob.ok("listen", "--json", "--count", "3", "--timeout", "30");
            assertThat(listened.lines()).hasSize(3);

            Image.Result history = bob.ok("history", "#plans", "--json");
            assertThat(history.lines()).containsExactlyElementsOf(listened.lines().stream()
                    .filter(l -> l.startsWith("{\"room\":\"#plans\"")).toList());
            assertThat(bob.ok("history", "#plans", "--limit", "1").stdout())
                    .matches("\\[\\d\\d:\\d\\d] #plans <alice> and coffee\\n");

            Image.Result found = bob.ok("search", "marzipan", "--json");
            assertThat(found.lines()).hasSize(2);
            List<Map<String, Object>> parsed = found.lines().stream().map(JsonLine::parse).toList();
            assertThat(parsed).extracting(m -> m.get("room")).containsExactly("#plans", "@alice");
            assertThat(bob.ok("search", "Marzipan", "--in", "@alice").lines()).hasSize(1);
            assertThat(alice.ok("search", "coffee").stdout()).matches("\\[\\d\\d:\\d\\d] #plans <alice> and coffee\\n");

            for (Path home : List.of(tmp.resolve("alice"), tmp.resolve("bob"))) {
                assertThat(homeFilesContaining(home, "marzipan")).as("plaintext in " + home).isEmpty();
                assertThat(homeFilesContaining(home, "coffee")).as("plaintext in " + home).isEmpty();
            }
        }
    }

    private static List<Path> homeFilesContaining(Path dir, String word) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).toLowerCase().contains(word);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
