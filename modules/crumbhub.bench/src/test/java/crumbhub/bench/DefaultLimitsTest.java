package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench against a server with its default limits (open registration only, so that the bench
 * gets as far as the limits): it stops with one line that names the limit and how to start a
 * server for benchmarking, instead of a bare "throttled".
 */
class DefaultLimitsTest {
    @TempDir
    Path dir;

    @Test
    void theRegistrationLimitIsNamedWithTheServerToRunInstead() throws Exception {
        try (Server server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(dir.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000).build())) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int status = BenchMain.run(new String[] {"--server", "127.0.0.1:" + server.address().getPort(),
                    "--clients", "25", "--senders", "1", "--duration", "0.2", "--steps", "1", "--loops", "1",
                    "--state", dir.resolve("bench.state").toString(), "--setup-timeout", "120"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(status).as(stderr).isEqualTo(1);
            // progress notes, then the error: its last line
            assertThat(stderr.lines().reduce((a, b) -> b).orElseThrow())
                    .contains("too many new accounts from your address")
                    .contains("the server's limit rate.register.address")
                    .contains("--rate-register-address 100000/1h", "--registration open", "docs/benchmarks.md");
        }
    }

    @Test
    void refusalsThatAreNoLimitGetNoHint() {
        assertThat(ServerLimits.hint("exists", "that user name is taken")).isEmpty();
        assertThat(ServerLimits.hint("throttled", "too many requests on this connection; slow down"))
                .contains("rate.connection");
        assertThat(ServerLimits.connectionHint(10)).isEmpty();
        assertThat(ServerLimits.connectionHint(100)).contains("max.connections.per.address");
    }
}
