package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The envelope's promises through the image (docs/crypto.md, "The client's envelope"): the time
 * shown is the sender's with the server's as {@code received}, and a home restored from an older
 * copy refuses to send with exit 4 and one line.
 */
class EnvelopeEndToEndTest {
    private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void theSendersTimeIsShownAndARestoredHomeRefusesToSend(@TempDir Path tmp) throws Exception {
        var env = Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.resolve("user").toString(), "LANG", "C.UTF-8",
                "CRUMBHUB_STATE_DIR", tmp.resolve("state").toString());
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"), null, env);
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"), null, env);
            alice.register(server, "alice envelope password");
            bob.register(server, "bob envelope password");

            alice.ok("send", "@bob", "one");
            List<Map<String, Object>> got = bob.listenJson(1, 30);
            assertThat(got).singleElement().satisfies(m -> {
                assertThat(m.get("text")).isEqualTo("one");
                assertThat((String) m.get("ts")).matches(ISO_UTC);
                assertThat((String) m.get("received")).matches(ISO_UTC);
            });

            Path copy = tmp.resolve("alice-copy");
            copyTree(alice.home, copy);
            alice.ok("send", "@bob", "two");
            deleteTree(alice.home);
            copyTree(copy, alice.home);
            Image.Result refused = alice.run("send", "@bob", "three");
            assertThat(refused.exit()).as(refused.stderr()).isEqualTo(4);
            assertThat(refused.stderr().strip()).doesNotContain("\n").contains("restored from an older copy");
            assertThat(bob.listenJson(5, 5)).extracting(m -> m.get("text")).containsExactly("two");
        }
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
}
