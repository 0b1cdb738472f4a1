package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.RegistrationMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario, briefly, against a real CrumbHub server on 127.0.0.1:0 (in this JVM, with
 * cheap password hashing so registering bench users is fast). Not timed: the limits are set so
 * high that no step stops a run; the checks are that each report is complete and nothing is lost.
 */
@EnabledIfSystemProperty(named = "crumbhub.soak", matches = "true",
        disabledReason = "long bench runs: mvn -B verify -Psoak; BenchSmokeTest covers the default build")
class BenchLoopbackTest {
    /** Fields docs/benchmarks.md "Output" requires in every JSON line, the server's two included as a pid is given. */
    static final List<String> REQUIRED = List.of("target", "scenario", "clients", "senders", "offered_per_s",
            "delivered_per_s", "p50_ms", "p99_ms", "max_ms", "lost", "server_cpu_us_per_delivery", "server_rss_kb");

    @TempDir
    static Path dir;
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(dir.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                // a load generator registers many users from one address: no registration or rate limits here,
                // and it measures delivery, not quotas
                .limits(LimitOptions.unlimited()).quotas(Quotas.unlimited()).build());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    record Run(int status, List<Map<String, String>> lines, String notes) {}

    /** Runs the bench CLI against the test server with short, bounded settings plus {@code args}. */
    static Run bench(String server, Path state, String... args) {
        var argv = new ArrayList<>(List.of("--server", server, "--json", "--duration", "0.4", "--steps", "2",
                "--drain", "5", "--p99-limit", "60000", "--setup-timeout", "60", "--loops", "2",
                "--server-pid", Long.toString(ProcessHandle.current().pid()), "--state", state.toString()));
        argv.addAll(List.of(args));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = BenchMain.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String notes = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; stderr: %s", notes).isZero();
        return new Run(status, JsonLines.parse(out.toString(StandardCharsets.UTF_8)), notes);
    }

    /** Each line names the scenario, has every required field, delivered everything and lost nothing. */
    static void assertComplete(Run run, String target, String scenario, int steps) {
        assertThat(run.lines()).as(run.notes()).hasSize(steps);
        for (Map<String, String> line : run.lines()) {
            assertThat(line).as(line.toString()).containsKeys(REQUIRED.toArray(String[]::new));
            assertThat(line.get("target")).isEqualTo(target);
            assertThat(line.get("scenario")).isEqualTo(scenario);
            assertThat(line.get("lost")).as(line.toString()).isEqualTo("0");
            assertThat(line.get("errors")).as(line.toString()).isEqualTo("0");
            assertThat(Long.parseLong(line.get("received"))).as(line.toString()).isPositive()
                    .isEqualTo(Long.parseLong(line.get("expected")));
            assertThat(Double.parseDouble(line.get("delivered_per_s"))).isPositive();
            assertThat(Double.parseDouble(line.get("max_ms"))).isPositive()
                    .isGreaterThanOrEqualTo(Double.parseDouble(line.get("p99_ms")));
            assertThat(Double.parseDouble(line.get("p99_ms"))).isGreaterThanOrEqualTo(Double.parseDouble(line.get("p50_ms")));
            assertThat(line.get("server_cpu_us_per_delivery")).isNotEqualTo("null");
            assertThat(Long.parseLong(line.get("server_rss_kb"))).isPositive();
        }
    }

    private static String address() {
        return "127.0.0.1:" + server.address().getPort();
    }

    @Test
    void aWarmUpStepRunsFirstAndIsNotReported() {
        Run run = bench(address(), dir.resolve("warm.state"), "--scenario", "fanout", "--clients", "6",
                "--senders", "2", "--rate", "50", "--warmup", "0.3", "--user-prefix", "warm", "--room-prefix", "warmroom");
        assertThat(run.notes()).contains("warming up for 0.3 s at 50 messages/s");
        assertComplete(run, "crumbhub", "fanout", 2);
        assertThat(run.lines().get(0).get("step")).isEqualTo("1");
        assertThat(run.lines().get(0).get("offered_per_s")).isEqualTo("50");
    }

    @Test
    void fanoutStepsUpTheRateAndLosesNothing() {
        Run run = bench(address(), dir.resolve("fanout.state"), "--scenario", "fanout", "--clients", "12",
                "--senders", "3", "--rate", "60", "--user-prefix", "fan", "--room-prefix", "fanroom");
        assertComplete(run, "crumbhub", "fanout", 2);
        assertThat(run.lines().get(0).get("clients")).isEqualTo("12");
        assertThat(run.lines().get(0).get("senders")).isEqualTo("3");
        assertThat(run.lines().get(0).get("offered_per_s")).isEqualTo("60");
        assertThat(run.lines().get(1).get("offered_per_s")).isEqualTo("120");
        // each of the 60/s × 0.4 s messages reaches the 11 other members
        assertThat(run.lines().get(0).get("expected")).isEqualTo(Long.toString(24 * 11));
    }

    @Test
    void aSecondRunResumesTheSavedUsersInsteadOfRegistering() {
        Path state = dir.resolve("resume.state");
        Run first = bench(address(), state, "--scenario", "fanout", "--clients", "4", "--senders", "1", "--rate", "20",
                "--steps", "1", "--user-prefix", "again", "--room-prefix", "againroom");
        assertThat(first.notes()).contains("registering 4 bench users");
        Run second = bench(address(), state, "--scenario", "fanout", "--clients", "6", "--senders", "1", "--rate", "20",
                "--steps", "1", "--user-prefix", "again", "--room-prefix", "againroom");
        assertThat(second.notes()).contains("registering 2 bench users");
        assertComplete(second, "crumbhub", "fanout", 1);
        // the room now holds exactly the 6 clients: each message reaches 5
        assertThat(second.lines().getFirst().get("expected")).isEqualTo(Long.toString(8 * 5));
        Run smaller = bench(address(), state, "--scenario", "fanout", "--clients", "3", "--senders", "1", "--rate", "20",
                "--steps", "1", "--user-prefix", "again", "--room-prefix", "againroom");
        assertThat(smaller.notes()).doesNotContain("registering");
        // members of the larger run were removed from the room, so nothing goes to users nobody reads
        assertComplete(smaller, "crumbhub", "fanout", 1);
    }

    @Test
    void roomsSpreadClientsAndSendersOverRooms() {
        Run run = bench(address(), dir.resolve("rooms.state"), "--scenario", "rooms", "--clients", "12", "--rooms", "3",
                "--senders", "6", "--rate", "60", "--user-prefix", "rms", "--room-prefix", "rmsroom");
        assertComplete(run, "crumbhub", "rooms", 2);
        assertThat(run.lines().getFirst().get("rooms")).isEqualTo("3");
        // 4 members a room: each message reaches 3
        assertThat(run.lines().getFirst().get("expected")).isEqualTo(Long.toString(24 * 3));
    }

    @Test
    void ackMeasuresDurableAcknowledgements() {
        Run run = bench(address(), dir.resolve("ack.state"), "--scenario", "ack", "--clients", "6", "--senders", "2",
                "--rate", "50", "--user-prefix", "ack", "--room-prefix", "ackroom");
        assertComplete(run, "crumbhub", "ack", 2);
        assertThat(run.lines().getFirst().get("acked")).isEqualTo("20");
    }

    @Test
    void pingpongMeasuresRoundTrips() {
        Run run = bench(address(), dir.resolve("pp.state"), "--scenario", "pingpong", "--user-prefix", "pp", "--room-prefix", "pproom");
        assertComplete(run, "crumbhub", "pingpong", 1);
        assertThat(Long.parseLong(run.lines().getFirst().get("round_trips"))).isPositive();
    }

    @Test
    void idleHoldsAuthenticatedConnectionsAndPingsEach() {
        Run run = bench(address(), dir.resolve("idle.state"), "--scenario", "idle", "--clients", "30",
                "--user-prefix", "idle", "--room-prefix", "idleroom");
        assertComplete(run, "crumbhub", "idle", 1);
        Map<String, String> line = run.lines().getFirst();
        assertThat(line.get("received")).isEqualTo("30");
        assertThat(line).containsKeys("rss_per_connection_bytes", "rss_per_added_connection_bytes", "connect_s");
        assertThat(line.get("closed_while_idle")).isEqualTo("0");
    }

    @Test
    void idleSpreadsManyConnectionsOverFewUsersDevices() {
        Run run = bench(address(), dir.resolve("few.state"), "--scenario", "idle", "--clients", "40", "--users", "4",
                "--user-prefix", "few", "--room-prefix", "fewroom");
        assertThat(run.notes()).contains("registering 4 bench users");
        assertComplete(run, "crumbhub", "idle", 1);
        assertThat(run.lines().getFirst().get("received")).isEqualTo("40");
    }

    @Test
    void connectionsCanComeFromSeveralLoopbackAddresses() {
        Run run = bench(address(), dir.resolve("src.state"), "--scenario", "idle", "--clients", "12", "--users", "3",
                "--source-addresses", "3", "--user-prefix", "src", "--room-prefix", "srcroom");
        assertComplete(run, "crumbhub", "idle", 1);
        assertThat(run.lines().getFirst().get("received")).isEqualTo("12");
    }
}
