package crumbhub.client.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs crumbhub-client commands in-process with captured output, a scripted terminal and
 * fast passphrase hashing: the test stand-in for a shell.
 */
final class Run {
    /** The outcome of one command. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final ArrayDeque<String> typed = new ArrayDeque<>();
    private String stdin = "";
    private boolean brokenStdout;

    Run(Path home) {
        this.home = home;
    }

    Run env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Lines the user will type at the next secret prompts, in order. */
    Run typing(String... lines) {
        typed.addAll(List.of(lines));
        return this;
    }

    Run stdin(String text) {
        stdin = text;
        return this;
    }

    /** The next command's stdout fails every write, like a pipe whose reader has gone. */
    Run brokenStdout() {
        brokenStdout = true;
        return this;
    }

    Result run(String... args) {
        var out = new ByteArrayOutputStream();
        java.io.OutputStream stdout = brokenStdout ? new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        } : out;
        brokenStdout = false;
        var err = new ByteArrayOutputStream();
        var io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, prompt -> typed.isEmpty() ? null : typed.poll().toCharArray(), Clock.systemUTC(), ZoneOffset.UTC);
        var all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = CommandRunner.run(all, io, parsed -> new Context(parsed, io, new SecureRandom(), 1_000));
        stdin = "";
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path home() {
        return home;
    }

    Path file(String name) {
        return home.resolve(name);
    }

}
