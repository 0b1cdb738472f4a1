package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The jlink runtime image under test, and helpers to run its programs as real processes. */
final class Image {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private Image() {}

    static Path home() {
        String dir = System.getProperty("crumbhub.image", "target/crumbhub");
        Path p = Path.of(dir).toAbsolutePath();
        assertThat(p.resolve("bin/crumbhub-server")).as("the jlink image must be built first").isExecutable();
        return p;
    }

    static Path bin(String program) {
        return home().resolve("bin").resolve(program);
    }

    /** The result of one finished process. */
    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.isBlank() ? List.of() : List.of(stdout.strip().split("\n"));
        }
    }

    /** Runs a program of the image to completion, feeding {@code stdin}, with a hard time limit. */
    static Result run(String program, String stdin, List<String> args) {
        return run(home(), null, program, stdin, args);
    }

    /** Runs {@code crumbhub-server} of the image with {@code args}, no input. */
    static Result server(String... args) {
        return run("crumbhub-server", null, List.of(args));
    }

    /**
     * Runs a program of the image in {@code imageHome}; {@code env}, if not null, replaces the
     * whole environment.
     */
    static Result run(Path imageHome, java.util.Map<String, String> env, String program, String stdin, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(imageHome.resolve("bin").resolve(program).toString());
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (env != null) {
                pb.environment().clear();
                pb.environment().putAll(env);
            }
            pb.environment().remove("CRUMBHUB_HOME");
            pb.environment().remove("CRUMBHUB_PASSPHRASE");
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the program may exit before reading its input; its exit code tells the story
            }
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("could not run " + cmd, e);
        }
    }

    /**
     * Reads a stream to its end on a thread of its own: not on the common pool, which has one
     * thread on a 2-core machine, so a long-running process (a live {@code listen}) would starve
     * the output of every other command.
     */
    static CompletableFuture<String> drain(java.io.InputStream in) {
        var out = new CompletableFuture<String>();
        Thread.ofPlatform().daemon(true).name("image-drain").start(() -> {
            try (in) {
                out.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.complete("");
            }
        });
        return out;
    }

    /** Creates a fresh, private temporary directory. */
    static Path tempDir(Path parent, String name) throws IOException {
        Path dir = parent.resolve(name);
        Files.createDirectories(dir);
        return dir;
    }

    static BufferedReader reader(java.io.InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
