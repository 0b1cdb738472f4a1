package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.bench.BenchOptions.Scenario;
import crumbhub.bench.BenchOptions.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    @Test
    void contractFlagsAreParsed() throws Exception {
        BenchOptions o = BenchArgs.parse(new String[] {"--server", "127.0.0.1:6667", "--clients", "500", "--rooms",
            "5", "--senders", "20", "--rate", "250.5", "--size", "300", "--duration=2.5", "--target", "irc",
            "--scenario", "rooms", "--server-pid", "4242", "--json"});
        assertThat(o.server().getPort()).isEqualTo(6667);
        assertThat(o.server().getAddress().isLoopbackAddress()).isTrue();
        assertThat(o.clients()).isEqualTo(500);
        assertThat(o.rooms()).isEqualTo(5);
        assertThat(o.effectiveRooms()).isEqualTo(5);
        assertThat(o.senders()).isEqualTo(20);
        assertThat(o.rate()).isEqualTo(250.5);
        assertThat(o.size()).isEqualTo(300);
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(2500));
        assertThat(o.target()).isEqualTo(Target.IRC);
        assertThat(o.scenario()).isEqualTo(Scenario.ROOMS);
        assertThat(o.serverPid()).isEqualTo(4242);
        assertThat(o.json()).isTrue();
    }

    @Test
    void defaultsAreAFanoutAgainstCrumbHub() throws Exception {
        BenchOptions o = BenchArgs.parse(new String[] {"--server", "localhost:5555"});
        assertThat(o.target()).isEqualTo(Target.CRUMBHUB);
        assertThat(o.scenario()).isEqualTo(Scenario.FANOUT);
        assertThat(o.effectiveRooms()).isEqualTo(1);
        assertThat(o.effectiveSenders()).isEqualTo(10);
        assertThat(o.serverPid()).isZero();
        assertThat(o.json()).isFalse();
        assertThat(o.sourceAddress(3)).isNull();
    }

    @Test
    void sourceAddressesCycleOverLoopbackHosts() throws Exception {
        BenchOptions o = BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--source-addresses", "3",
            "--clients", "10", "--target", "irc"});
        assertThat(o.sourceAddress(0).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(o.sourceAddress(2).getAddress().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(o.sourceAddress(3).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void sourceAddressesWorkForCrumbHubToo() throws Exception {
        BenchOptions o = BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--source-addresses", "2"});
        assertThat(o.sourceAddress(1).getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {})).hasMessageContaining("--server");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "nohost"})).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--clients", "x"}))
                .hasMessageContaining("--clients");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--bogus"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--size", "10"}))
                .hasMessageContaining("--size");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--target", "irc",
            "--size", "401"})).hasMessageContaining("IRC");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--target", "irc",
            "--scenario", "ack"})).hasMessageContaining("durable");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--senders", "200"}))
                .hasMessageContaining("--senders");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--scenario", "storm"}))
                .hasMessageContaining("storm");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "127.0.0.1:1", "--users", "5"}))
                .hasMessageContaining("idle");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--server", "10.0.0.1:1", "--source-addresses", "4"}))
                .hasMessageContaining("loopback");
    }

    @Test
    void mainPrintsOneLineErrorsAndUsage() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = BenchMain.run(new String[] {"--clients", "3"}, new PrintStream(out), new PrintStream(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("crumbhub-bench: ").hasLineCount(1);
        assertThat(BenchMain.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--scenario fanout|rooms|idle|pingpong|ack");
    }

    @Test
    void unreachableServerIsOneLineAndStatusOne() {
        var err = new ByteArrayOutputStream();
        // port 1 on loopback: nothing listens there, the connect is refused at once
        int status = BenchMain.run(new String[] {"--server", "127.0.0.1:1", "--clients", "2", "--senders", "1",
            "--setup-timeout", "10", "--state", System.getProperty("java.io.tmpdir") + "/crumbhub-bench-unused.state"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("crumbhub-bench: ").contains("127.0.0.1:1");
    }
}
