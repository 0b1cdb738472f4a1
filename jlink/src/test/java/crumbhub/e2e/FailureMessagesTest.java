package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import crumbhub.testkit.Await;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every limit and fault a user can meet ends in one clear line from {@code bin/crumbhub-client}
 * and a non-zero exit: throttled registrations, too many connections, and a full disk (on a
 * real, tiny tmpfs when the test may mount one). Against the real image, as separate processes.
 */
class FailureMessagesTest {

    /** A non-zero exit and one error line (besides the note a first contact prints when it pins the key). */
    private static void assertOneLine(Image.Result r, String... contains) {
        assertThat(r.exit()).as("exit status; stderr: %s", r.stderr()).isNotZero();
        List<String> lines = r.stderr().strip().lines().filter(l -> !l.contains("pinned the key of")).toList();
        assertThat(lines).as("stderr").hasSize(1);
        for (String c : contains) {
            assertThat(lines.getFirst()).contains(c);
        }
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void throttledRegistrationsAndTooManyConnectionsAreOneClearLine(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0,
                "--max-connections-per-address", "1", "--rate-register-address", "2/1h",
                "--handshake-timeout", "60s")) {
            var alice = new ClientHome("alice", tmp.resolve("alice"));
            var bob = new ClientHome("bob", tmp.resolve("bob"));
            var carol = new ClientHome("carol", tmp.resolve("carol"));
            alice.register(server, "alice password");
            bob.register(server, "bob password");
            Image.Result third = carol.runWithInput("carol password\n", "register", server.address(), "carol",
                    "--password-stdin");
            assertOneLine(third, "throttled", "too many new accounts from your address", "try again in");

            // a connection that has not finished its handshake holds the address's only place;
            // bob's send is refused before its handshake, and works again once the place is free
            Image.Result refused;
            try (var holder = new java.net.Socket("127.0.0.1", server.port)) {
                refused = bob.run("send", "@alice", "hello");
            }
            assertOneLine(refused, "too many connections");
            Await.succeeds(() -> {
                Image.Result later = bob.run("send", "@alice", "hello");
                assertThat(later.exit()).as("send once the place is free: %s", later.stderr()).isZero();
                return later;
            }, Duration.ofSeconds(15), "a send once the place is free");
        }
    }

    @Test
    void aFullDiskRefusesSendsWithStorageKeepsListenWorkingAndRecovers(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("tiny-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString()) == 0,
                "needs permission to mount a tmpfs (root, as in CI)");
        try {
            // the store preallocates its active segment 4 MiB ahead (storage.md): leave it less
            // room than that, so it writes records by growing the file and the disk really fills
            ballast(mount.resolve("ballast"), 2L << 20);
            // the free-disk watermark off (its 256 MiB default refuses at once on this 8 MiB disk): this is
            // the disk that fills anyway; the watermark itself is DiskWatermarkTest's
            try (ServerProcess server = ServerProcess.start(mount.resolve("data"), 0, "--disk-min-free", "0")) {
                var alice = new ClientHome("alice", tmp.resolve("alice"));
                var bob = new ClientHome("bob", tmp.resolve("bob"));
                alice.register(server, "alice password");
                bob.register(server, "bob password");
                alice.ok("send", "@bob", "before the disk filled");

                Path filler = mount.resolve("filler");
                fill(filler);
                // the store's last page may still have room for a message or two
                String big = "x".repeat(3_000);
                Image.Result refused = null;
                int stored = 0;
                for (int i = 0; i < 20; i++) {
                    refused = alice.run("send", "@bob", big);
                    if (refused.exit() != 0) {
                        break;
                    }
                    stored++;
                }
                assertOneLine(refused, "storage", "could not store");

                List<Map<String, Object>> got = bob.listenJson(1 + stored, 10);
                assertThat(got).extracting(m -> m.get("text")).first().isEqualTo("before the disk filled");
                assertThat(got).hasSize(1 + stored);

                Files.delete(filler);
                Await.succeeds(() -> {
                    Image.Result ok = alice.run("send", "@bob", "after the disk was freed");
                    assertThat(ok.exit()).as("send after space returned: %s", ok.stderr()).isZero();
                    return ok;
                }, Duration.ofSeconds(20), "a send after the disk was freed");
                assertThat(bob.listenJson(1, 10)).extracting(m -> m.get("text"))
                        .containsExactly("after the disk was freed");
                assertThat(server.process.isAlive()).isTrue();
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    /** Writes zeros until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (full.getMessage() == null || !full.getMessage().contains("No space left")) {
                throw full;
            }
        }
    }

    /** Writes zeros to {@code file} until at most {@code leave} bytes of its file system are free. */
    private static void ballast(Path file, long leave) throws IOException {
        FileStore store = Files.getFileStore(file.getParent());
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            while (store.getUsableSpace() > leave + block.length) {
                out.write(block);
                out.flush();
            }
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
