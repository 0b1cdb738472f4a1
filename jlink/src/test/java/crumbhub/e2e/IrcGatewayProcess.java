package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code bin/crumbhub-client irc --listen 127.0.0.1:0} of the image as a process: started, its
 * port read from its {@code listening on} line, stopped with SIGTERM. Also checks for the real IRC
 * clients the tests drive (Debian packages that {@code .ci/run} installs).
 */
final class IrcGatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final int port;
    private final Path errors;

    private IrcGatewayProcess(Process process, int port, Path errors) {
        this.process = process;
        this.port = port;
        this.errors = errors;
    }

    static IrcGatewayProcess start(ClientHome who, String... extra) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of(Image.bin("crumbhub-client").toString(), "irc",
                "--listen", "127.0.0.1:0", "--home", who.home.toString()));
        cmd.addAll(java.util.List.of(extra));
        var pb = new ProcessBuilder(cmd);
        pb.environment().remove("CRUMBHUB_HOME");
        Path errors = who.home.resolveSibling(who.user + "-irc-" + System.nanoTime() + ".err");
        pb.redirectError(errors.toFile());
        Process p = pb.start();
        var line = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader r = Image.reader(p.getInputStream());
                for (String l; (l = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(l);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int port = line.get(60, TimeUnit.SECONDS);
        assertThat(port).as("the gateway's listening line; stderr: %s", Files.readString(errors)).isPositive();
        return new IrcGatewayProcess(p, port, errors);
    }

    String stderr() throws IOException {
        return Files.readString(errors);
    }

    /** SIGTERM; returns the exit code. */
    int stop() throws Exception {
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the gateway exits on SIGTERM").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Skips the test (fails it in CI) when {@code program} is not installed. */
    static void require(String program, String pkg) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", program)) || Files.isExecutable(Path.of("/usr/local/bin", program));
        if (!present) {
            String why = program + " is not installed; the IRC gateway's end-to-end tests drive it"
                    + " (.ci/run installs it: apt-get install " + pkg + ")";
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
