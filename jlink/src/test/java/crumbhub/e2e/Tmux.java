package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private tmux server ({@code tmux -L <unique socket>}) for driving full-screen programs of the
 * image: sessions with a fixed size, keys sent with {@code send-keys}, the screen read with
 * {@code capture-pane -p}. {@link #close} kills the server and everything running in it.
 *
 * <p>tmux is a test tool, installed by {@code .ci/run}: when it is missing, tests fail in CI
 * ({@code CI} set) and are skipped elsewhere.
 */
final class Tmux implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final String socket;

    private Tmux(String socket) {
        this.socket = socket;
    }

    /** A new tmux server on its own socket; fails (CI) or skips (elsewhere) the test without tmux. */
    static Tmux start(String name) {
        requireTmux();
        return new Tmux("crumbhub-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    static void requireTmux() {
        boolean present;
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            present = false;
        }
        if (!present) {
            String why = "tmux is not installed; the terminal UI tests drive the chat through tmux"
                    + " (.ci/run installs it: apt-get install tmux)";
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
    }

    /** Runs one tmux command on this server; returns its stdout, failing the test if it fails. */
    String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-u", "-L", socket));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().remove("TMUX");
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().put("LC_ALL", "C.UTF-8");
            Process p = pb.start();
            var out = Image.drain(p.getInputStream());
            var err = Image.drain(p.getErrorStream());
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux did not finish: " + cmd);
            }
            String stdout = out.get(5, TimeUnit.SECONDS);
            assertThat(p.exitValue()).as("%s: %s", cmd, err.get(5, TimeUnit.SECONDS)).isZero();
            return stdout;
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("could not run " + cmd, e);
        }
    }

    /**
     * A detached session {@code name} of {@code width} x {@code height} running a plain shell
     * (prompt {@code $ }, no rc files) with {@code env} set.
     */
    void shell(String name, int width, int height, String... env) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", Integer.toString(width),
                "-y", Integer.toString(height), "-e", "PS1=$ ", "-e", "LANG=C.UTF-8"));
        for (String e : env) {
            args.add("-e");
            args.add(e);
        }
        args.addAll(List.of("bash", "--norc", "--noprofile"));
        tmux(args.toArray(String[]::new));
        tmux("set-option", "-t", name, "history-limit", "0");
        waitFor(name, s -> s.contains("$"), WAIT);
    }

    /** Types a line into the session's shell. */
    void line(String session, String text) {
        tmux("send-keys", "-t", session, "-l", text);
        tmux("send-keys", "-t", session, "Enter");
    }

    /** Sends keys as tmux names them ({@code Enter}, {@code C-c}, {@code PPage}, {@code Tab}) or literal text. */
    void keys(String session, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Sends text literally (no key names). */
    void text(String session, String text) {
        tmux("send-keys", "-t", session, "-l", text);
    }

    /** The visible screen as plain text, one line per row. */
    String screen(String session) {
        return tmux("capture-pane", "-p", "-t", session);
    }

    /** The visible screen with its colours and attributes as escape sequences. */
    String screenWithColours(String session) {
        return tmux("capture-pane", "-e", "-p", "-t", session);
    }

    void resize(String session, int width, int height) {
        tmux("resize-window", "-t", session, "-x", Integer.toString(width), "-y", Integer.toString(height));
    }

    /** Polls the screen until {@code ready} holds; fails with the last screen after {@code timeout}. */
    String waitFor(String session, Predicate<String> ready, Duration timeout) {
        return Await.succeeds(() -> {
            String last = screen(session);
            if (!ready.test(last)) {
                throw new AssertionError("last screen:\n" + last);
            }
            return last;
        }, timeout, "the screen of " + session + " to become ready");
    }

    String waitFor(String session, String text) {
        return waitFor(session, s -> s.contains(text), WAIT);
    }

    @Override
    public void close() {
        try {
            String socketPath = "";
            Process where = command("display-message", "-p", "#{socket_path}");
            if (where.waitFor(10, TimeUnit.SECONDS) && where.exitValue() == 0) {
                socketPath = new String(where.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
            Process kill = command("kill-server");
            kill.waitFor(10, TimeUnit.SECONDS);
            if (!socketPath.isEmpty()) {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(socketPath)); // tmux leaves it behind
            }
        } catch (Exception e) {
            throw new AssertionError("could not kill tmux server " + socket, e);
        }
    }

    private Process command(String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TMUX");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }
}
