package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ControlFrame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest extends LoopbackFixture {
    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withIdleTimeout(ms(400));
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
        long start = System.nanoTime();
        for (int i = 1; !silentServer.closed.isDone(); i++) {
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(WAIT_S));
            chattyConnection.send(new ControlFrame.Ping(i, i));
            chatty.nextFrame();
            Thread.sleep(50);
        }
        assertThat(silentServer.awaitClosed().kind()).isEqualTo(Kind.IDLE_TIMEOUT);
        assertThat(silentServer.awaitClosed().detail()).contains("400 ms");
        assertThat(silent.awaitClosed().kind()).isEqualTo(Kind.PEER_CLOSED);
        assertThat(chattyServer.closed).isNotDone();
    }
}
