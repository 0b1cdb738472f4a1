package crumbhub.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running {@code bin/crumbhub-server} process on 127.0.0.1 with its own data directory. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("fingerprint\\s+([0-9a-f ]{79})");

    final Process process;
    final Path data;
    final int port;
    final String fingerprint;
    final long startMillis;
    /** What the server printed up to its fingerprint line (stdout and stderr together). */
    final String startOutput;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();

    private ServerProcess(Process process, Path data, int port, String fingerprint, long startMillis,
            String startOutput) {
        this.process = process;
        this.startOutput = startOutput;
        this.data = data;
        this.port = port;
        this.fingerprint = fingerprint;
        this.startMillis = startMillis;
    }

    /**
     * Starts a server and waits until it prints that it listens and its fingerprint. The tests
     * register users freely, so the server runs with {@code --registration open} unless
     * {@code extra} names a registration mode itself (the default is {@code invite}).
     */
    static ServerProcess start(Path data, int port, String... extra) throws IOException, InterruptedException {
        return start(Image.home(), null, data, port, extra);
    }

    /**
     * Starts {@code bin/crumbhub-server} of the image in {@code imageHome}; {@code env}, if not
     * null, replaces the whole environment. Open registration unless {@code extra} names a mode.
     */
    static ServerProcess start(Path imageHome, java.util.Map<String, String> env, Path data, int port, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(extra));
        if (!args.contains("--registration")) {
            args.addAll(List.of("--registration", "open"));
        }
        return startExactly(imageHome, env, data, port, args);
    }

    /** Starts a server with exactly these flags after its data directory and address: its own defaults. */
    static ServerProcess startWithDefaults(Path data, int port) throws IOException, InterruptedException {
        return startExactly(Image.home(), null, data, port, List.of());
    }

    private static ServerProcess startExactly(Path imageHome, java.util.Map<String, String> env, Path data, int port,
            List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(imageHome.resolve("bin/crumbhub-server").toString(),
                "--data", data.toString(), "--listen", "127.0.0.1:" + port));
        cmd.addAll(extra);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = Image.reader(p.getInputStream())) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<output closed: " + e.getMessage() + ">");
            }
        });
        pump.setName("server-output");
        int boundPort = -1;
        String fp = null;
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (boundPort < 0 || fp == null) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                p.destroyForcibly();
                throw new AssertionError("server did not start; output:\n" + seen);
            }
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                boundPort = Integer.parseInt(m.group(2));
            }
            Matcher f = FINGERPRINT.matcher(line);
            if (f.find()) {
                fp = f.group(1);
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        ServerProcess sp = new ServerProcess(p, data, boundPort, fp, millis, seen.toString());
        Thread.ofPlatform().daemon().start(() -> {
            try {
                for (;;) {
                    sp.output.add(lines.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return sp;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Waits for an output line matching {@code pattern} (consuming the lines before it); its matcher. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder seen = new StringBuilder();
        for (;;) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? output.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line matching " + pattern + "; saw:\n" + seen);
            }
            seen.append(line).append('\n');
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    /** The output lines up to and including the first matching {@code pattern}, read as they come. */
    String outputUntil(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder seen = new StringBuilder();
        for (;;) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? output.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line matching " + pattern + "; saw:\n" + seen);
            }
            seen.append(line).append('\n');
            if (pattern.matcher(line).find()) {
                return seen.toString();
            }
        }
    }

    /** Everything the server printed after start-up so far. */
    String output() {
        List<String> l = new ArrayList<>();
        output.drainTo(l);
        return String.join("\n", l);
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit code. The output stays readable (Process.destroy would close it). */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("server did not exit after SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
