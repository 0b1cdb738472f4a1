package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crumbhub-client daemon --json} as a real process, with the test playing an echo bot:
 * it reads the daemon's standard output and writes requests to its standard input, while
 * another user talks to it with {@code send} and {@code listen}.
 */
@Timeout(90)
class DaemonEndToEndTest {
    @TempDir
    Path tmp;

    /** A running daemon: requests in, JSON lines out. */
    private static final class Daemon implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();
        private final List<Map<String, Object>> unread = new ArrayList<>();
        private final OutputStream stdin;
        private final Path errors;
        private final Thread reader;
        private int ids;

        Daemon(ClientHome who) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(Image.bin("crumbhub-client").toString(), "daemon", "--json",
                    "--home", who.home.toString());
            pb.environment().remove("CRUMBHUB_HOME");
            errors = who.home.resolveSibling(who.user + "-daemon-" + System.nanoTime() + ".err");
            pb.redirectError(errors.toFile());
            process = pb.start();
            stdin = process.getOutputStream();
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = Image.reader(process.getInputStream())) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("{\"event\":\"test-reader-failed\"}");
                }
            });
        }

        String stderr() {
            try {
                return java.nio.file.Files.readString(errors);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        void write(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Sends a request with a fresh numeric id; returns the id. */
        int request(String fields) throws IOException {
            int id = ++ids;
            write("{\"id\":" + id + "," + fields + "}");
            return id;
        }

        /**
         * The first output line matching {@code what} that no earlier call took, parsed. Lines that
         * do not match stay for later calls (replies and events interleave); all lines read are in {@link #all}.
         */
        Map<String, Object> next(Predicate<Map<String, Object>> what) throws InterruptedException {
            for (var it = unread.iterator(); it.hasNext(); ) {
                Map<String, Object> m = it.next();
                if (what.test(m)) {
                    it.remove();
                    return m;
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (;;) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no matching line from the daemon; so far:\n" + String.join("\n", all)
                            + "\nstderr:\n" + stderr() + "\nalive: " + process.isAlive());
                }
                all.add(line);
                Map<String, Object> m = JsonLine.parse(line);
                if (what.test(m)) {
                    return m;
                }
                unread.add(m);
            }
        }

        Map<String, Object> reply(int id) throws InterruptedException {
            return next(m -> Long.valueOf(id).equals(m.get("id")));
        }

        /** Closes the daemon's input, waits for it to exit and for its last lines (added to {@link #all}). */
        int endInput() throws Exception {
            stdin.close();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("daemon exits at the end of its input").isTrue();
            reader.join(Duration.ofSeconds(10));
            lines.drainTo(all);
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anEchoBotAnswersAUserInARoomAndDirectlyAndEachMessageIsPrintedOnce() throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome echo = new ClientHome("echo", tmp.resolve("echo"));
            ClientHome carol = new ClientHome("carol", tmp.resolve("carol"));
            echo.register(server, "echo password 1");
            carol.register(server, "carol password 1");

            try (Daemon bot = new Daemon(echo)) {
                bot.next(m -> "connection".equals(m.get("event")) && "connected".equals(m.get("state")));
                assertThat(bot.reply(bot.request("\"op\":\"join\",\"room\":\"#lobby\"")))
                        .containsEntry("ok", true).containsEntry("created", true);
                assertThat(bot.reply(bot.request("\"op\":\"invite\",\"room\":\"#lobby\",\"user\":\"carol\"")))
                        .containsEntry("ok", true);
                carol.ok("room", "join", "#lobby");
                carol.ok("send", "#lobby", "hello echo");
                carol.ok("send", "@echo", "are you a bot?");

                // the bot: answer every message from someone else
                for (int answered = 0; answered < 2; answered++) {
                    Map<String, Object> m = bot.next(e -> "message".equals(e.get("event")));
                    assertThat(m.get("from")).isEqualTo("carol");
                    assertThat((String) m.get("id")).matches("[0-9a-f]{32}");
                    String text = "echo: " + m.get("text");
                    int id = bot.request("\"op\":\"send\",\"to\":\"" + m.get("room") + "\",\"text\":\"" + text + "\"");
                    assertThat(bot.reply(id)).containsEntry("ok", true).containsKey("msgid").containsKey("seq");
                }
                assertThat(bot.all).anyMatch(l -> l.contains("\"room\":\"#lobby\",\"from\":\"carol\",\"text\":\"hello echo\""))
                        .anyMatch(l -> l.contains("\"room\":\"@carol\",\"from\":\"carol\",\"text\":\"are you a bot?\""));

                // a broken line gets an error reply and the daemon goes on
                bot.write("{\"id\":99,\"op\":\"send\",");
                assertThat(bot.next(m -> m.containsKey("error"))).containsEntry("error", "parse_error").containsEntry("id", null);
                bot.write("{\"id\":100,\"op\":\"send\",\"to\":\"#lobby\",\"text\":\"" + "x".repeat(300_000) + "\"}");
                assertThat(bot.next(m -> m.containsKey("error"))).containsEntry("error", "too_long");
                assertThat(bot.reply(bot.request("\"op\":\"frobnicate\""))).containsEntry("error", "unknown_op");
                Map<String, Object> verified = bot.reply(bot.request("\"op\":\"verify\",\"user\":\"carol\""));
                assertThat(verified).containsEntry("ok", true).containsEntry("user", "carol")
                        .containsEntry("verified", false).containsEntry("changed", false);
                assertThat((String) verified.get("safety_number")).matches("[0-9]{5}( [0-9]{5}){11}");
                assertThat(bot.reply(bot.request("\"op\":\"verify\",\"user\":\"carol\",\"confirm\":true")))
                        .containsEntry("ok", true).containsEntry("verified", true)
                        .containsEntry("safety_number", verified.get("safety_number"));
                assertThat(bot.reply(bot.request("\"op\":\"ping\""))).containsEntry("ok", true).containsEntry("connected", true);
                bot.request("\"op\":\"send\",\"to\":\"@carol\",\"text\":\"bye\",\"kind\":\"action\"");
                assertThat(bot.endInput()).isZero();
                assertThat(bot.all).anyMatch(l -> l.startsWith("{\"id\":" + bot.ids + ",\"ok\":true"));
            }

            List<Map<String, Object>> carolSees = carol.listenJson(3, 30);
            assertThat(carolSees).extracting(m -> m.get("room"), m -> m.get("text"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("#lobby", "echo: hello echo"),
                            org.assertj.core.groups.Tuple.tuple("@echo", "echo: are you a bot?"),
                            org.assertj.core.groups.Tuple.tuple("@echo", "bye"));
            assertThat(carolSees.get(2)).containsEntry("kind", "action");

            // a restarted daemon prints nothing it printed before
            try (Daemon again = new Daemon(echo)) {
                again.next(m -> "connected".equals(m.get("state")));
                assertThat(again.reply(again.request("\"op\":\"ping\""))).containsEntry("ok", true);
                assertThat(again.endInput()).isZero();
                assertThat(again.all).noneMatch(l -> l.contains("\"event\":\"message\""));
            }
        }
    }
}
