package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account history backup through the image (issue 15, docs/client.md "History backup"): a user
 * registers and chats; a fresh device logged in with the recovery code restores the conversation
 * and its (full-screen) chat shows it; the server's data directory and the new home hold no plaintext.
 */
class HistoryBackupEndToEndTest {
    private static final Pattern RECOVERY = Pattern.compile("(?m)^recovery code: (\\S+)$");
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** {@code chat} in line mode (stdout is a pipe), with its input held open until {@link #quit}. */
    private static final class LineChat implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder seen = new StringBuilder();

        LineChat(Path home) throws IOException {
            var pb = new ProcessBuilder(Image.bin("crumbhub-client").toString(), "chat", "--home", home.toString());
            pb.environment().remove("CRUMBHUB_HOME");
            pb.redirectError(home.resolveSibling(home.getFileName() + "-chat.err").toFile());
            process = pb.start();
            stdin = process.getOutputStream();
            Thread.ofPlatform().daemon().name("chat-reader").start(() -> {
                try (BufferedReader r = Image.reader(process.getInputStream())) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(reader failed: " + e + ")");
                }
            });
        }

        /** Waits for a printed line containing {@code text}. */
        void await(String text) throws InterruptedException {
            long end = System.nanoTime() + WAIT.toNanos();
            while (seen.indexOf(text) < 0) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("the chat never printed '" + text + "'; it printed:\n" + seen);
                }
                seen.append(line).append('\n');
            }
        }

        void type(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Ends the input (the chat quits as at {@code /quit}); its exit code. */
        int quit() throws Exception {
            stdin.close();
            assertThat(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the chat exits").isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static List<Path> filesHolding(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> {
                try {
                    return indexOf(Files.readAllBytes(p), needle) >= 0;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int indexOf(byte[] b, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aDeviceLoggedInWithTheRecoveryCodeShowsTheEarlierConversation(@TempDir Path tmp) throws Exception {
        String canary = "canary" + HexFormat.of().toHexDigits(System.nanoTime());
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            Image.Result registered = alice.runWithInput("alice password\n", "register", server.address(), "alice",
                    "--password-stdin");
            assertThat(registered.exit()).as(registered.stderr()).isZero();
            Matcher m = RECOVERY.matcher(registered.stdout());
            assertThat(m.find()).isTrue();
            String recovery = m.group(1);
            bob.register(server, "bob password");
            bob.ok("send", "@alice", "hello alice " + canary);

            try (var chat = new LineChat(tmp.resolve("alice"))) {
                chat.await("hello alice " + canary);
                chat.type("/msg bob hello bob " + canary);
                chat.await("hello bob " + canary);
                assertThat(chat.quit()).isZero();
            }
            assertThat(filesHolding(tmp.resolve("data"), canary)).as("server files holding the text").isEmpty();

            ClientHome tablet = new ClientHome("alice", tmp.resolve("alice-tablet"));
            Image.Result recovered = tablet.runWithInput("alice password\n" + recovery + "\n", "login",
                    server.address(), "alice", "--password-stdin", "--recovery-code-stdin");
            assertThat(recovered.exit()).as(recovered.stderr()).isZero();
            assertThat(recovered.stdout()).contains("approved (recovery code)").contains("restored 2 lines of history");

            // line mode prints only new lines, so the full-screen chat shows the restored conversation
            Tmux.requireTmux();
            try (Tmux tmux = Tmux.start("restored")) {
                tmux.shell("tablet", 120, 40);
                tmux.line("tablet", Image.bin("crumbhub-client") + " chat --home " + tablet.home);
                tmux.waitFor("tablet", screen -> screen.contains("<bob> hello alice " + canary)
                        && screen.contains("<alice> hello bob " + canary), WAIT);
                tmux.line("tablet", "/quit");
            }
            assertThat(filesHolding(tmp.resolve("alice-tablet"), canary)).as("new home files holding the text")
                    .isEmpty();
        }
    }
}
