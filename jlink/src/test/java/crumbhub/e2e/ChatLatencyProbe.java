package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the real {@code crumbhub-client chat} in tmux with 10,000 messages in the room's
 * scrollback: receiving them, starting with them in the history, keystroke to screen, and the CPU
 * a redraw costs. Run by hand (numbers in docs/chat.md):
 *
 * <pre>
 *   mvn -B -o -pl jlink -am verify -Dtest=ChatLatencyProbe -Dsurefire.failIfNoSpecifiedTests=false -Dcrumbhub.measure=true
 * </pre>
 */
class ChatLatencyProbe {
    /** Messages in the room's scrollback; {@code -Dcrumbhub.measure.messages=N} to compare. */
    private static final int MESSAGES = Integer.getInteger("crumbhub.measure.messages", 10_000);
    private static final int SAMPLES = 200;

    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("crumbhub.measure"), "set -Dcrumbhub.measure=true to measure");
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0); Tmux tmux = Tmux.start("perf")) {
            alice.register(server, "alice password 9");
            bob.register(server, "bob password 9");
            alice.ok("room", "create", "#general");
            alice.ok("room", "invite", "#general", "bob");
            bob.ok("room", "join", "#general");

            long t0 = System.nanoTime();
            sendMany(bob, MESSAGES);
            report("bob's daemon sends %,d messages (32 in flight)", ms(t0), "%.0f ms, %.0f msg/s", MESSAGES);

            tmux.shell("alice", 120, 40);
            t0 = System.nanoTime();
            tmux.line("alice", Image.bin("crumbhub-client") + " chat --home " + alice.home
                    + "; printf '%s-%s\\n' chat ended");
            tmux.waitFor("alice", "[connected]");
            tmux.line("alice", "/join #general");
            tmux.waitFor("alice", s -> s.contains("message " + MESSAGES + " of the backlog"), Duration.ofSeconds(120));
            report("first start: SYNC of %,d messages, stored in the history, shown", ms(t0), "%.0f ms", MESSAGES);
            tmux.line("alice", "/quit");
            tmux.waitFor("alice", s -> s.lines().anyMatch(l -> l.equals("chat-ended")), Tmux.WAIT);

            t0 = System.nanoTime();
            tmux.line("alice", "clear; " + Image.bin("crumbhub-client") + " chat --home " + alice.home);
            tmux.waitFor("alice", s -> s.contains("message " + MESSAGES + " of the backlog"), Duration.ofSeconds(60));
            report("restart: %,d messages read back from the encrypted history and shown", ms(t0), "%.0f ms", MESSAGES);
            tmux.waitFor("alice", "[connected]");
            ProcessHandle chat = chatProcess(tmux);

            // tmux's own cost: one capture-pane, one send-keys
            var capture = new ArrayList<Double>();
            for (int i = 0; i < 50; i++) {
                long c = System.nanoTime();
                tmux.screen("alice");
                capture.add(ms(c));
            }
            percentiles("tmux capture-pane alone", capture);

            // keystroke to screen: send one character, poll until the input line shows it
            var latencies = new ArrayList<Double>();
            StringBuilder typed = new StringBuilder();
            for (int i = 0; i < SAMPLES; i++) {
                if (typed.length() >= 60) {
                    tmux.keys("alice", "C-u");
                    typed.setLength(0);
                    tmux.waitFor("alice", s -> inputLine(s).equals("[#general]"), Tmux.WAIT);
                }
                char c = (char) ('a' + i % 26);
                typed.append(c);
                String expected = "[#general] " + typed;
                long k = System.nanoTime();
                tmux.text("alice", String.valueOf(c));
                tmux.waitFor("alice", s -> inputLine(s).equals(expected), Tmux.WAIT);
                latencies.add(ms(k));
            }
            percentiles("keystroke to screen (send-keys, then capture-pane until drawn)", latencies);
            tmux.keys("alice", "C-u");

            // CPU per frame, measured on the chat process: keys sent one tmux command at a time
            cpuPerKey(tmux, chat, "C-l", "full redraw (Ctrl-L)");
            cpuPerKey(tmux, chat, "x", "keystroke in the input line");
            cpuPerKeyPair(tmux, chat, "PPage", "NPage", "PageUp or PageDown");

            // resize: the chat polls the size every 250 ms, so this is mostly that interval
            var resizes = new ArrayList<Double>();
            for (int i = 0; i < 10; i++) {
                boolean narrow = i % 2 == 0;
                long r = System.nanoTime();
                tmux.resize("alice", narrow ? 50 : 120, narrow ? 20 : 40);
                tmux.waitFor("alice", s -> narrow == s.startsWith(" 1:status"), Tmux.WAIT);
                resizes.add(ms(r));
            }
            percentiles("resize to new layout on screen (includes the 250 ms size poll)", resizes);
            tmux.line("alice", "/quit");
        }
    }

    private static String inputLine(String screen) {
        var lines = screen.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).stripTrailing();
            }
        }
        return "";
    }

    private static ProcessHandle chatProcess(Tmux tmux) {
        long shell = Long.parseLong(tmux.tmux("display-message", "-p", "-t", "alice", "#{pane_pid}").strip());
        return ProcessHandle.of(shell).orElseThrow().children().findFirst().orElseThrow();
    }

    private static void cpuPerKey(Tmux tmux, ProcessHandle chat, String key, String what) throws Exception {
        cpuPerKeyPair(tmux, chat, key, key, what);
    }

    private static void cpuPerKeyPair(Tmux tmux, ProcessHandle chat, String a, String b, String what) throws Exception {
        int n = 300;
        Thread.sleep(500); // hand-run measurement, not a test: let the last redraw's CPU be counted before
        Duration before = chat.info().totalCpuDuration().orElseThrow();
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            tmux.keys("alice", i % 2 == 0 ? a : b);
        }
        Thread.sleep(500); // the keys' redraws finish inside the measured CPU window
        Duration after = chat.info().totalCpuDuration().orElseThrow();
        double idle = idleCpuMs(chat, ms(t) + 500 + 500);
        double perKey = (after.minus(before).toNanos() / 1e6 - idle) / n;
        System.out.printf(Locale.ROOT, "MEASURE %-60s %.2f ms CPU each (%d keys, idle CPU %.0f ms subtracted)%n",
                what, perKey, n, idle);
    }

    /** CPU the chat uses doing nothing (clock ticks, size polls) over {@code wallMs}. */
    private static double idleCpuMs(ProcessHandle chat, double wallMs) throws Exception {
        Duration before = chat.info().totalCpuDuration().orElseThrow();
        Thread.sleep(2000); // the measured window of idle CPU
        Duration after = chat.info().totalCpuDuration().orElseThrow();
        return after.minus(before).toNanos() / 1e6 * wallMs / 2000;
    }

    private static void sendMany(ClientHome who, int n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Image.bin("crumbhub-client").toString(), "daemon", "--json",
                "--home", who.home.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        var replies = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = Image.reader(p.getInputStream())) {
                int ok = 0;
                for (String line; ok < n && (line = r.readLine()) != null; ) {
                    if (line.contains("\"ok\":true")) {
                        ok++;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            var b = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                b.append("{\"id\":").append(i).append(",\"op\":\"send\",\"to\":\"#general\",\"text\":\"message ")
                        .append(i).append(" of the backlog, long enough to look like chat\"}\n");
            }
            in.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        replies.join(Duration.ofMinutes(3));
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static void report(String what, double ms, String format, int n) {
        System.out.printf(Locale.ROOT, "MEASURE %-60s " + format + "%n", String.format(Locale.ROOT, what, n), ms,
                n * 1000 / ms);
    }

    private static void percentiles(String what, List<Double> samples) {
        var sorted = samples.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "MEASURE %-60s p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
                what, sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10),
                sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)), sorted.getLast(), sorted.size());
    }
}
