package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.ControlFrame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuietConnectionTest extends LoopbackFixture {
    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withQuietAfter(ms(100)).withIdleTimeout(ms(5_000));
    }

    private static void awaitQuiet(NoiseConnection c, boolean expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (onLoop(c.loop(), c::isQuiet) != expected) {
            assertThat(System.nanoTime()).as("quiet=" + expected + " in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aConnectionWithoutTrafficGoesQuietAndWorksBothWaysAfterwards() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> conn.send(new ControlFrame.Pong(f.requestId(), f.requestId() * 10L));
        var client = new RecordingHandler();
        Connection c = connect(client);
        client.awaitReady();
        var server = (NoiseConnection) nextServerHandler().awaitReady();

        for (int round = 1; round <= 3; round++) {
            awaitQuiet(server, true);
            assertThat(c.send(new ControlFrame.Ping(round, round))).isTrue();
            assertThat(client.nextFrame()).isEqualTo(new ControlFrame.Pong(round, round * 10L));
            assertThat(onLoop(server.loop(), server::isQuiet)).as("a message wakes it").isFalse();
        }
        // pushes from the server side wake it too
        awaitQuiet(server, true);
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
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
        for (int i = 1; System.nanoTime() < end; i++) {
            c.send(new ControlFrame.Ping(i, i));
            client.nextFrame();
            assertThat(onLoop(server.loop(), server::isQuiet)).isFalse();
            Thread.sleep(20);
        }
    }
}
