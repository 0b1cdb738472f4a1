package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.config.ConfigException;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.Rate;
import crumbhub.server.config.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit is configurable by flag, environment and file, with safe defaults and clear errors. */
class LimitSettingsTest {
    @TempDir
    Path tmp;

    private static ServerOptions run(Map<String, String> env, String... args) throws ConfigException {
        return ((CommandLine.Run) CommandLine.parse(args, env)).options();
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws ConfigException {
        var o = run(Map.of());
        LimitOptions l = o.limits();
        assertThat(l.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.authTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(l.maxConnections()).isEqualTo(10_000);
        assertThat(l.maxConnectionsPerAddress()).isEqualTo(64);
        assertThat(l.maxBodyBytes()).isEqualTo(60_000);
        assertThat(o.maxOutboundBytes()).isEqualTo(1 << 20);
        assertThat(l.connectionRequests()).isEqualTo(Rate.of(5_000, Duration.ofSeconds(10)));
        assertThat(l.userRequests()).isEqualTo(Rate.of(10_000, Duration.ofSeconds(10)));
        assertThat(l.registrationsPerAddress()).isEqualTo(Rate.of(20, Duration.ofHours(1)));
        assertThat(l.registrations()).isEqualTo(Rate.of(200, Duration.ofHours(1)));
        assertThat(l.keyUploads()).isEqualTo(Rate.of(20, Duration.ofMinutes(1)));
        assertThat(o.throttleBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.throttleCap()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void flagsEnvironmentAndFileSetEveryLimit() throws Exception {
        Path file = tmp.resolve("limits.properties");
        Files.writeString(file, """
                handshake.timeout=5s
                max.connections=500
                rate.register.global=10/1m
                login.delay.max=5m
                """);
        var env = Map.of("CRUMBHUB_CONFIG", file.toString(), "CRUMBHUB_MAX_CONNECTIONS_PER_ADDRESS", "8",
                "CRUMBHUB_RATE_USER", "100/1s", "CRUMBHUB_MAX_CONNECTIONS", "700");
        var o = run(env, "--rate-connection", "50/1s", "--max-body-bytes", "4096", "--idle-timeout", "2m",
                "--auth-timeout", "15s", "--max-outbound-bytes", "262144", "--rate-register-address", "3/1h",
                "--login-delay", "2s");
        LimitOptions l = o.limits();
        assertThat(l.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(l.maxConnections()).as("environment beats the file").isEqualTo(700);
        assertThat(l.maxConnectionsPerAddress()).isEqualTo(8);
        assertThat(l.maxBodyBytes()).isEqualTo(4096);
        assertThat(l.connectionRequests()).isEqualTo(Rate.of(50, Duration.ofSeconds(1)));
        assertThat(l.userRequests()).isEqualTo(Rate.of(100, Duration.ofSeconds(1)));
        assertThat(l.registrationsPerAddress()).isEqualTo(Rate.of(3, Duration.ofHours(1)));
        assertThat(l.registrations()).isEqualTo(Rate.of(10, Duration.ofMinutes(1)));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.authTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.maxOutboundBytes()).isEqualTo(262_144);
        assertThat(o.throttleBase()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.throttleCap()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void badLimitValuesAreOneClearSentence() {
        assertThatThrownBy(() -> run(Map.of(), "--rate-user", "fast")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--rate-user must be COUNT/DURATION");
        assertThatThrownBy(() -> run(Map.of(), "--rate-user", "0/1s")).hasMessageContaining("at least one");
        assertThatThrownBy(() -> run(Map.of(), "--max-body-bytes", "70000")).hasMessageContaining("1 to 60000");
        assertThatThrownBy(() -> run(Map.of(), "--max-connections", "-1")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> run(Map.of(), "--handshake-timeout", "0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> run(Map.of(), "--max-outbound-bytes", "100")).hasMessageContaining("at least 65536");
        assertThatThrownBy(() -> run(Map.of(), "--login-delay", "2m", "--login-delay-max", "1m"))
                .hasMessageContaining("must not be shorter");
        assertThatThrownBy(() -> run(Map.of("CRUMBHUB_RATE_USER", "lots"))).hasMessageContaining("CRUMBHUB_RATE_USER");
    }

    @Test
    void helpListsEveryLimit() {
        for (CommandLine.Setting s : LimitSettings.SETTINGS) {
            assertThat(CommandLine.HELP).contains(s.flag()).contains(s.env());
            assertThat(CommandLine.SETTINGS).contains(s);
        }
    }

    @Test
    void ratesParseAndPrint() throws ConfigException {
        assertThat(Rate.parse("x", "200/10s")).isEqualTo(Rate.of(200, Duration.ofSeconds(10)));
        assertThat(Rate.parse("x", "20/1h").toString()).isEqualTo("20/1h");
        assertThat(Rate.of(5, Duration.ofMinutes(2)).toString()).isEqualTo("5/2m");
        assertThat(Rate.of(10, Duration.ofSeconds(1)).nanosPerToken()).isEqualTo(100_000_000L);
    }
}
