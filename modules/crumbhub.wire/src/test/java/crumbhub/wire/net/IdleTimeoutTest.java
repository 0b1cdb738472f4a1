package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ManualTime;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.loop.NanoClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest extends LoopbackFixture {
    private final ManualTime time = new ManualTime();

    @Override
    NanoClock clock() {
        return time::nanoTime;
    }

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withIdleTimeout(ms(400));
    }

    /** Moves time on by {@code d}, then waits until {@code c}'s loop ran the timers that became due. */
    private void advance(NoiseConnection c, Duration d) throws Exception {
        time.advance(d);
        var ran = new CompletableFuture<Void>();
        c.loop().schedule(Duration.ZERO, () -> ran.complete(null));
        ran.get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void aSilentClientIsClosedByTheIdleTimeoutButFramesKeepItAlive() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> conn.send(new ControlFrame.Pong(f.requestId(), 0));
        var chatty = new RecordingHandler();
        Connection chattyConnection = connect(chatty);
        chatty.awaitReady();
        RecordingHandler chattyServer = nextServerHandler();
        var silent = new RecordingHandler();
        connect(silent);
        silent.awaitReady();
        RecordingHandler silentServer = nextServerHandler();
        var silentConnection = (NoiseConnection) silentServer.awaitReady();
        for (int i = 1; i <= 7; i++) {
            advance(silentConnection, ms(50));
            assertThat(silentServer.closed).as("open %d ms after its last frame", i * 50).isNotDone();
            chattyConnection.send(new ControlFrame.Ping(i, i));
            chatty.nextFrame();
        }
        advance(silentConnection, ms(50));
        assertThat(silentServer.awaitClosed().kind()).isEqualTo(Kind.IDLE_TIMEOUT);
        assertThat(silentServer.awaitClosed().detail()).contains("400 ms");
        assertThat(silent.awaitClosed().kind()).isEqualTo(Kind.PEER_CLOSED);
        assertThat(chattyServer.closed).isNotDone();
    }
}
