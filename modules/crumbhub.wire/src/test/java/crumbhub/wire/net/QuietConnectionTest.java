package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ManualTime;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.loop.NanoClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuietConnectionTest extends LoopbackFixture {
    private final ManualTime time = new ManualTime();

    @Override
    NanoClock clock() {
        return time::nanoTime;
    }

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withQuietAfter(ms(100)).withIdleTimeout(ms(5_000));
    }

    /**
     * Moves time on by {@code d} and reads the quiet flag from a timer due now: it runs after
     * every timer that became due earlier (the connection's among them), whatever tick the loop is in.
     */
    private boolean quietAfter(NoiseConnection c, Duration d) throws Exception {
        time.advance(d);
        var quiet = new CompletableFuture<Boolean>();
        c.loop().schedule(Duration.ZERO, () -> quiet.complete(c.isQuiet()));
        return quiet.get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionWithoutTrafficGoesQuietAndWorksBothWaysAfterwards() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> conn.send(new ControlFrame.Pong(f.requestId(), f.requestId() * 10L));
        var client = new RecordingHandler();
        Connection c = connect(client);
        client.awaitReady();
        var server = (NoiseConnection) nextServerHandler().awaitReady();

        for (int round = 1; round <= 3; round++) {
            assertThat(quietAfter(server, ms(99))).as("awake until the quiet period passed").isFalse();
            assertThat(quietAfter(server, ms(1))).as("quiet once it passed").isTrue();
            assertThat(c.send(new ControlFrame.Ping(round, round))).isTrue();
            assertThat(client.nextFrame()).isEqualTo(new ControlFrame.Pong(round, round * 10L));
            assertThat(onLoop(server.loop(), server::isQuiet)).as("a message wakes it").isFalse();
        }
        // pushes from the server side wake it too
        assertThat(quietAfter(server, ms(100))).isTrue();
        assertThat(server.send(new ControlFrame.Ok(77))).isTrue();
        assertThat(client.nextFrame()).isEqualTo(new ControlFrame.Ok(77));
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void aConnectionThatKeepsTalkingStaysAwake() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> conn.send(new ControlFrame.Pong(f.requestId(), 0));
        var client = new RecordingHandler();
        Connection c = connect(client);
        client.awaitReady();
        var server = (NoiseConnection) nextServerHandler().awaitReady();
        for (int i = 1; i <= 20; i++) {
            assertThat(quietAfter(server, ms(20))).isFalse();
            c.send(new ControlFrame.Ping(i, i));
            client.nextFrame();
        }
    }
}
