package crumbhub.bench;

import static crumbhub.bench.BenchLoopbackTest.assertComplete;
import static crumbhub.bench.BenchLoopbackTest.bench;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import crumbhub.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IRC target, briefly, against a real ngircd (Debian package {@code ngircd}) started on a free
 * 127.0.0.1 port with per-address and flood limits lifted. Skipped when ngircd is not installed.
 */
@EnabledIfSystemProperty(named = "crumbhub.soak", matches = "true",
        disabledReason = "long bench runs: mvn -B verify -Psoak; BenchSmokeTest covers the default build")
class BenchIrcTest {
    static final Path NGIRCD = Path.of("/usr/sbin/ngircd");
    private static final long START_TIMEOUT_MS = 10_000;

    @TempDir
    static Path dir;
    private static Process ngircd;
    private static int port;

    @BeforeAll
    static void startNgircd() throws Exception {
        assumeTrue(Files.isExecutable(NGIRCD), "ngircd is not installed (apt-get install ngircd); IRC target not tested");
        try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = dir.resolve("ngircd.conf");
        Files.writeString(conf, """
                [Global]
                \tName = bench.test
                \tInfo = crumbhub bench test
                \tListen = 127.0.0.1
                \tPorts = %d
                \tMotdPhrase = bench
                [Limits]
                \tMaxConnections = 0
                \tMaxConnectionsIP = 0
                \tMaxJoins = 0
                \tMaxNickLength = 30
                \tMaxPenaltyTime = 0
                \tPingTimeout = 600
                \tPongTimeout = 600
                [Options]
                \tDNS = no
                \tIdent = no
                \tPAM = no
                """.formatted(port));
        ngircd = new ProcessBuilder(NGIRCD.toString(), "--nodaemon", "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ngircd.log").toFile()).start();
        Await.until(() -> {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                if (!ngircd.isAlive()) {
                    throw new IllegalStateException("ngircd exited: " + ngircdLog(dir), e);
                }
                return false;
            }
        }, Duration.ofMillis(START_TIMEOUT_MS), "ngircd listening on port " + port);
    }

    private static String ngircdLog(Path dir) {
        try {
            return Files.readString(dir.resolve("ngircd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @AfterAll
    static void stopNgircd() throws InterruptedException {
        if (ngircd != null) {
            ngircd.destroy();
            if (!ngircd.waitFor(5, TimeUnit.SECONDS)) {
                ngircd.destroyForcibly();
            }
        }
    }

    private static BenchLoopbackTest.Run irc(String... args) {
        var all = new String[args.length + 4];
        all[0] = "--target";
        all[1] = "irc";
        all[2] = "--server-pid";
        all[3] = Long.toString(ngircd.pid());
        System.arraycopy(args, 0, all, 4, args.length);
        return bench("127.0.0.1:" + port, dir.resolve("unused.state"), all);
    }

    @Test
    void fanoutOverIrcLosesNothing() {
        var run = irc("--scenario", "fanout", "--clients", "12", "--senders", "3", "--rate", "60", "--user-prefix", "f", "--room-prefix", "froom");
        assertComplete(run, "irc", "fanout", 2);
        assertThat(run.lines().getFirst().get("expected")).isEqualTo(Long.toString(24 * 11));
    }

    @Test
    void roomsOverIrcUseOneChannelPerRoom() {
        var run = irc("--scenario", "rooms", "--clients", "12", "--rooms", "3", "--senders", "6", "--rate", "60",
                "--user-prefix", "r", "--room-prefix", "rroom");
        assertComplete(run, "irc", "rooms", 2);
        assertThat(run.lines().getFirst().get("expected")).isEqualTo(Long.toString(24 * 3));
    }

    @Test
    void pingpongOverIrc() {
        assertComplete(irc("--scenario", "pingpong", "--user-prefix", "p", "--room-prefix", "proom"), "irc", "pingpong", 1);
    }

    @Test
    void idleOverIrcAnswersEveryPing() {
        var run = irc("--scenario", "idle", "--clients", "40", "--user-prefix", "i", "--room-prefix", "iroom");
        assertComplete(run, "irc", "idle", 1);
        Map<String, String> line = run.lines().getFirst();
        assertThat(line.get("received")).isEqualTo("40");
    }
}
