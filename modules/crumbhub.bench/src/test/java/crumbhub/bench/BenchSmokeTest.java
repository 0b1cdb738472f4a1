package crumbhub.bench;

import static crumbhub.bench.BenchLoopbackTest.assertComplete;
import static crumbhub.bench.BenchLoopbackTest.bench;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.bench.BenchLoopbackTest.Run;
import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default build's check of the bench: one short ping-pong run against a real server on
 * 127.0.0.1:0 gives a complete report. Every scenario and the IRC target run with {@code -Psoak}
 * ({@link BenchLoopbackTest}, {@link BenchIrcTest}).
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void aPingPongRunAgainstARealServerReportsEveryField() throws Exception {
        try (Server server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN).dataDir(dir.resolve("data"))
                .listen(new HostPort("127.0.0.1", 0)).loopThreads(1).hashThreads(1).passwordIterations(1000)
                .limits(LimitOptions.unlimited()).quotas(Quotas.unlimited()).build())) {
            Run run = bench("127.0.0.1:" + server.address().getPort(), dir.resolve("smoke.state"),
                    "--scenario", "pingpong", "--steps", "1", "--user-prefix", "smoke", "--room-prefix", "smokeroom");
            assertComplete(run, "crumbhub", "pingpong", 1);
            assertThat(Long.parseLong(run.lines().getFirst().get("round_trips"))).isPositive();
        }
    }
}
