package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files between two clients of the image (docs/client.md "Files"): an 8 MiB file arrives byte for
 * byte and the server's data directory holds neither its content nor its name; an upload whose
 * client is killed with {@code kill -9} resumes where the server's copy ends when the same
 * {@code send-file} runs again. {@code -Psoak} adds a 1 GiB file and a {@code kill -9} of the
 * server in the middle of an upload.
 */
class FilesEndToEndTest {

    /** A file of {@code size} bytes of seeded noise with {@code marker} written every 64 KiB. */
    private static Path write(Path file, long size, long seed, byte[] marker) throws IOException {
        var random = new Random(seed);
        var block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; ) {
                random.nextBytes(block);
                for (int i = 0; i + marker.length <= block.length; i += 64 * 1024) {
                    System.arraycopy(marker, 0, block, i, marker.length);
                }
                int n = (int) Math.min(block.length, size - done);
                out.write(block, 0, n);
                done += n;
            }
        }
        return file;
    }

    private static byte[] sha256(Path file) throws Exception {
        var md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            var buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    private static void register(ServerProcess server, ClientHome... homes) {
        for (ClientHome h : homes) {
            h.register(server, "password of " + h.user);
        }
    }

    /** Bob's file message: its id for download. */
    private static String fileId(ClientHome bob) {
        List<Map<String, Object>> got = bob.listenJson(1, 60);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst()).containsEntry("type", "file");
        return (String) got.getFirst().get("file");
    }

    private static void assertArrives(ClientHome bob, Path sent, Path to) throws Exception {
        String id = fileId(bob);
        Image.Result r = bob.ok("download", id, "--to", to.toString());
        Path got = Path.of(r.stdout().strip());
        assertThat(got.getParent()).isEqualTo(to);
        assertThat(got.getFileName().toString()).isEqualTo(sent.getFileName().toString());
        assertThat(Files.size(got)).isEqualTo(Files.size(sent));
        assertThat(sha256(got)).isEqualTo(sha256(sent));
    }

    /** The bytes of the upload under way in {@code data} (its .part file), or 0. */
    private static long partBytes(Path data) {
        try (Stream<Path> s = Files.list(data.resolve("files"))) {
            return s.filter(p -> p.toString().endsWith(".part")).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Starts {@code send-file} as a process of its own (to be killed). */
    private static Process startSendFile(ClientHome alice, Path file) throws IOException {
        return new ProcessBuilder(Image.bin("crumbhub-client").toString(), "send-file", "@bob", file.toString(),
                "--home", alice.home.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
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
    void anEightMebibyteFileArrivesByteForByteAndTheServerHoldsNoPlaintext(@TempDir Path tmp) throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            register(server, alice, bob);
            Path file = write(tmp.resolve(canary + ".bin"), 8L << 20, 1, needle);
            alice.ok("send-file", "@bob", file.toString());
            Path to = Files.createDirectory(tmp.resolve("to"));
            assertArrives(bob, file, to);
            assertThat(server.terminate()).isZero();
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                assertThat(p.toString()).as("a server file named after the file").doesNotContain(canary);
                assertThat(indexOf(Files.readAllBytes(p), needle)).as("the canary in %s", p).isEqualTo(-1);
            }
        }
    }

    @Test
    void anUploadWhoseClientIsKilledResumesWhenSendFileRunsAgain(@TempDir Path tmp) throws Exception {
        resumeAfterClientKill(tmp, 128L << 20);
    }

    private static void resumeAfterClientKill(Path tmp, long size) throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            register(server, alice, bob);
            Path file = write(tmp.resolve("big.bin"), size, 2, new byte[0]);
            Process upload = startSendFile(alice, file);
            Await.until(() -> partBytes(data) >= 4 << 20 || !upload.isAlive(), Duration.ofSeconds(120),
                    "the upload under way");
            assertThat(upload.isAlive()).as("the upload was still running when killed").isTrue();
            upload.destroyForcibly(); // SIGKILL
            assertThat(upload.waitFor(20, TimeUnit.SECONDS)).isTrue();
            long before = partBytes(data);
            assertThat(before).isBetween(4L << 20, size);

            Image.Result again = alice.ok("send-file", "@bob", file.toString());
            assertThat(again.stderr()).contains("resuming the upload of big.bin");
            Path to = Files.createDirectory(tmp.resolve("to"));
            assertArrives(bob, file, to);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "crumbhub.soak", matches = "true", disabledReason = "a 1 GiB file; run with -Psoak")
    void aGibibyteFileArrivesAndSurvivesKillsOfTheClientAndOfTheServer(@TempDir Path tmp) throws Exception {
        resumeAfterClientKill(tmp.resolve("client-kill"), 1L << 30);

        Path data = tmp.resolve("data");
        ServerProcess server = ServerProcess.start(data, 0);
        int port = server.port;
        try {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            register(server, alice, bob);
            Path file = write(tmp.resolve("huge.bin"), 1L << 30, 3, new byte[0]);
            Process upload = startSendFile(alice, file);
            Await.until(() -> partBytes(data) >= 64 << 20 || !upload.isAlive(), Duration.ofSeconds(300),
                    "the upload under way");
            server.kill();
            server = ServerProcess.start(data, port);
            assertThat(upload.waitFor(600, TimeUnit.SECONDS)).as("send-file finished").isTrue();
            if (upload.exitValue() != 0) {
                alice.ok("send-file", "@bob", file.toString()); // out of retries while the server was down: rerun
            }
            Path to = Files.createDirectory(tmp.resolve("to"));
            assertArrives(bob, file, to);
        } finally {
            server.close();
        }
    }
}
