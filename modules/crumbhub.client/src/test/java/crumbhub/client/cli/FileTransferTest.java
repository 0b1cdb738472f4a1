package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send-file} and {@code download} (docs/client.md "Files") against the real server
 * in-process on 127.0.0.1:0: a file arrives byte for byte, the server never holds its name or
 * content in the clear, a download never replaces a file, and a server whose stored blob was
 * altered, cut or swapped for another is refused with nothing left on disk.
 */
class FileTransferTest {
    private static final Pattern FILE_ID = Pattern.compile("\"file\":\"([0-9a-f]{32})\"");

    @TempDir
    Path tmp;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws Exception {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(tmp.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400)).build());
    }

    private Run user(String name) {
        var r = new Run(tmp.resolve("home-" + name));
        ok(r.stdin("password of " + name + "\n").run("register", "127.0.0.1:" + server.address().getPort(), name,
                "--password-stdin"));
        return r;
    }

    private static void ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static byte[] content(int n, long seed) {
        var b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Bob's listen: the file lines, and the ids they name. */
    private static List<String> fileIds(Run bob) {
        var listened = bob.run("listen", "--json", "--timeout", "2");
        ok(listened);
        return listened.lines().stream().filter(l -> l.startsWith("{\"type\":\"file\""))
                .map(l -> {
                    var m = FILE_ID.matcher(l);
                    assertThat(m.find()).as(l).isTrue();
                    return m.group(1);
                }).toList();
    }

    private static List<Path> entries(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aFileArrivesByteForByteUnderItsNameAndNeverReplacesOne() throws Exception {
        start();
        var alice = user("alice");
        var bob = user("bob");
        String canary = "CANARY-" + Long.toHexString(new Random().nextLong());
        byte[] data = content(300_000, 1);
        byte[] marked = (canary + " plaintext marker ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marked, 0, data, 1000, marked.length);
        Path file = tmp.resolve(canary + "-report.bin");
        Files.write(file, data);

        ok(alice.run("send-file", "@bob", file.toString()));
        var listened = bob.run("listen", "--json", "--timeout", "2");
        ok(listened);
        String line = listened.lines().stream().filter(l -> l.startsWith("{\"type\":\"file\"")).findFirst().orElseThrow();
        assertThat(line).contains("\"room\":\"@alice\"", "\"from\":\"alice\"", "\"name\":\"" + canary + "-report.bin\"",
                "\"size\":300000", "\"mime\":");
        var m = FILE_ID.matcher(line);
        assertThat(m.find()).isTrue();
        String id = m.group(1);

        Path to = Files.createDirectory(tmp.resolve("downloads"));
        var got = bob.run("download", id, "--to", to.toString());
        ok(got);
        Path saved = to.resolve(canary + "-report.bin");
        assertThat(got.out().strip()).isEqualTo(saved.toString());
        assertThat(Files.readAllBytes(saved)).isEqualTo(data);
        var again = bob.run("download", id, "--to", to.toString());
        ok(again);
        assertThat(Files.readAllBytes(to.resolve(canary + "-report (1).bin"))).isEqualTo(data);
        assertThat(Files.readAllBytes(saved)).isEqualTo(data);
        assertThat(entries(to)).hasSize(2);

        // the sender can fetch its own file too: its message is in its history
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        ok(alice.run("download", id, "--to", mine.toString()));

        // the server's data directory holds neither the file's content nor its name
        try (var walk = Files.walk(tmp.resolve("data"))) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                assertThat(p.toString()).doesNotContain(canary);
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.toString())
                        .doesNotContain(canary);
            }
        }
    }

    @Test
    void aBlobTheServerAlteredCutOrSwappedIsRefusedAndNothingIsLeft() throws Exception {
        start();
        var alice = user("alice");
        var bob = user("bob");
        Path one = tmp.resolve("one.txt");
        Path two = tmp.resolve("two.txt");
        Files.write(one, content(200_000, 2));
        Files.write(two, content(200_000, 3));
        ok(alice.run("send-file", "@bob", one.toString()));
        ok(alice.run("send-file", "@bob", two.toString()));
        List<String> ids = fileIds(bob);
        assertThat(ids).hasSize(2);
        Path blobs = tmp.resolve("data").resolve("files");
        Path first = blobs.resolve(ids.get(0) + ".blob");
        Path second = blobs.resolve(ids.get(1) + ".blob");
        byte[] original = Files.readAllBytes(first);
        Path to = Files.createDirectory(tmp.resolve("to"));

        byte[] flipped = original.clone();
        flipped[100_000] ^= 1;
        Files.write(first, flipped);
        var altered = bob.run("download", ids.get(0), "--to", to.toString());
        assertThat(altered.exit()).as(altered.toString()).isNotZero();
        assertThat(altered.err()).contains("failed its check");
        assertThat(entries(to)).isEmpty();

        Files.write(first, Files.readAllBytes(second)); // another file's blob of the same length under this id
        var swapped = bob.run("download", ids.get(0), "--to", to.toString());
        assertThat(swapped.exit()).as(swapped.toString()).isNotZero();
        assertThat(entries(to)).isEmpty();

        Files.write(first, original);
        ok(bob.run("download", ids.get(0), "--to", to.toString()));
        assertThat(Files.readAllBytes(to.resolve("one.txt"))).isEqualTo(Files.readAllBytes(one));
    }

    @Test
    void aTransferWhoseConnectionIsCutResumesWithinTheSameRun() throws Exception {
        start();
        try (var proxy = crumbhub.testkit.FaultProxy.start(server.address().getPort())) {
            var alice = new Run(tmp.resolve("home-alice"));
            ok(alice.stdin("password of alice\n").run("register", proxy.address(), "alice", "--password-stdin"));
            var bob = new Run(tmp.resolve("home-bob"));
            ok(bob.stdin("password of bob\n").run("register", proxy.address(), "bob", "--password-stdin"));
            byte[] data = content(2_000_000, 4);
            Path file = Files.write(tmp.resolve("cut.bin"), data);
            long before = proxy.accepted();
            proxy.faults(crumbhub.testkit.Faults.NONE.withCutAfter(700_000));
            ok(alice.run("send-file", "@bob", file.toString()));
            assertThat(proxy.accepted() - before).as("connections: the first and the ones after each cut").isGreaterThan(2);
            List<String> ids = fileIds(bob);
            assertThat(ids).hasSize(1);
            Path to = Files.createDirectory(tmp.resolve("to"));
            ok(bob.run("download", ids.getFirst(), "--to", to.toString()));
            assertThat(Files.readAllBytes(to.resolve("cut.bin"))).isEqualTo(data);
        }
    }

    @Test
    void aDownloadWithoutTheFilesMessageOrWithAHostileTargetIsRefused() throws Exception {
        start();
        user("alice");
        var bob = user("bob");
        var unknown = bob.run("download", "0123456789abcdef0123456789abcdef", "--to", tmp.toString());
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no file 0123456789abcdef0123456789abcdef");
        var malformed = bob.run("download", "../../etc/passwd");
        assertThat(malformed.exit()).isNotZero();
    }
}
