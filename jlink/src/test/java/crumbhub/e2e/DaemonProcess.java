package crumbhub.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One life of {@code crumbhub-client daemon --json} as a process, for tests that drive many
 * daemons at once: requests get a numeric id and a future for their reply; every other line (an
 * event) goes to a consumer on the reader thread, in order. When the process ends (exit or
 * {@code kill -9}) the replies still due fail with {@link Ended}.
 */
final class DaemonProcess implements AutoCloseable {
    /** The daemon ended before it answered. */
    static final class Ended extends Exception {
        Ended(String why) {
            super(why);
        }
    }

    final ClientHome home;
    /** 1 for the first process on this home, 2 after a restart, … */
    final int life;
    private final Process process;
    private final OutputStream stdin;
    private final Path errors;
    private final Thread reader;
    private final Map<Long, CompletableFuture<Map<String, Object>>> due = new ConcurrentHashMap<>();
    private long ids;

    DaemonProcess(ClientHome home, int life, Consumer<Map<String, Object>> events) throws IOException {
        this.home = home;
        this.life = life;
        ProcessBuilder pb = new ProcessBuilder(Image.bin("crumbhub-client").toString(), "daemon", "--json", "--home",
                home.home.toString());
        pb.environment().remove("CRUMBHUB_HOME");
        errors = home.home.resolveSibling(home.user + "-daemon-" + life + ".err");
        pb.redirectError(errors.toFile());
        process = pb.start();
        stdin = process.getOutputStream();
        reader = Thread.ofPlatform().daemon().name("daemon-" + home.user + "-" + life).start(() -> {
            try (BufferedReader r = Image.reader(process.getInputStream())) {
                for (String line; (line = r.readLine()) != null; ) {
                    Map<String, Object> m = JsonLine.parse(line);
                    if (m.get("id") instanceof Long id && due.get(id) != null) {
                        due.remove(id).complete(m);
                    } else {
                        events.accept(m);
                    }
                }
            } catch (IOException e) {
                events.accept(Map.of("event", "test-reader-failed", "message", String.valueOf(e)));
            } finally {
                for (var f : due.values()) {
                    f.completeExceptionally(new Ended(home.user + "'s daemon " + life + " ended"));
                }
            }
        });
    }

    /**
     * Writes a request with {@code fields} (JSON members without braces); its reply, or a
     * failure with {@link Ended} if the daemon ends first or its input is closed.
     */
    synchronized CompletableFuture<Map<String, Object>> request(String fields) {
        long id = ++ids;
        var reply = new CompletableFuture<Map<String, Object>>();
        due.put(id, reply);
        try {
            stdin.write(("{\"id\":" + id + "," + fields + "}\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            due.remove(id);
            reply.completeExceptionally(new Ended(home.user + "'s daemon " + life + " takes no input: " + e));
        }
        if (!reader.isAlive() && due.remove(id) != null) {
            reply.completeExceptionally(new Ended(home.user + "'s daemon " + life + " ended"));
        }
        return reply;
    }

    /** A request's reply, which must come within {@code timeout} and be {@code "ok":true}. */
    Map<String, Object> ok(String fields, Duration timeout) throws Exception {
        Map<String, Object> r = request(fields).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!Boolean.TRUE.equals(r.get("ok"))) {
            throw new AssertionError(home.user + ": " + fields + " failed: " + r + "\nstderr:\n" + stderr());
        }
        return r;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** kill -9 (the launcher execs java, so this is the client itself); waits for the exit and the last lines. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(10));
    }

    /** Closes the input (the daemon finishes what is pending), waits for the exit; its code. */
    int endInput(Duration timeout) throws Exception {
        synchronized (this) {
            stdin.close();
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(home.user + "'s daemon did not exit at the end of its input; stderr:\n" + stderr());
        }
        reader.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    String stderr() {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
