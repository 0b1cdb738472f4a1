package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.ControlFrame;
import org.junit.jupiter.api.Test;

/** Both sides rekey every 3 messages per direction, as §1 prescribes for 2^20. */
class RekeyTest extends LoopbackFixture {
    private static final long INTERVAL = 3;

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withRekeyInterval(INTERVAL);
    }

    @Test
    void rekeyingEveryFewMessagesKeepsBothDirectionsWorking() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> conn.send(new ControlFrame.Pong(f.requestId(), 0));
        var client = new RecordingHandler();
        Connection c = connect(client, ConnectionOptions.client().withRekeyInterval(INTERVAL));
        client.awaitReady();
        for (int i = 1; i <= 40; i++) {
            c.send(new ControlFrame.Ping(i, i));
            assertThat(client.nextFrame().requestId()).isEqualTo(i); // one message each way per round
        }
        var nc = (NoiseConnection) c;
        assertThat(onLoop(clientLoop, nc::messagesSent)).isEqualTo(40);
        assertThat(onLoop(clientLoop, nc::messagesReceived)).isEqualTo(40);
    }
}
