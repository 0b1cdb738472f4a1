package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.FrameCodec;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackPressureTest extends LoopbackFixture {
    private static final int SOFT = 64 * 1024;
    private static final int HARD = 256 * 1024;

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withOutboundLimits(SOFT, HARD);
    }

    private static MessageFrame.Deliver push(long seq) {
        return new MessageFrame.Deliver(0, TargetKind.ROOM, "r", "u", 1, seq, seq, new MessageId(0, seq), 1,
                new byte[10_000]);
    }

    @Test
    void aPeerThatDoesNotReadMakesTheConnectionUnwritableAndSendRefusesBeyondTheHardLimit() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.handshake(key(20));
            RecordingHandler server = nextServerHandler();
            Connection s = server.awaitReady();
            int frame = FrameCodec.encodedLength(push(0));
            long queued = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            // fill until the kernel's socket buffers are full and the queue stays over the soft limit
            while (server.writability.isEmpty()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                int accepted = onLoop(s.loop(), () -> {
                    int n = 0;
                    while (s.send(push(n))) {
                        n++;
                    }
                    return n;
                });
                queued += (long) accepted * frame;
            }
            assertThat(server.writability).containsExactly(false);
            assertThat(s.isWritable()).isFalse();
            int more = onLoop(s.loop(), () -> {
                int n = 0;
                while (s.send(push(n))) {
                    n++;
                }
                return n;
            });
            queued += (long) more * frame;
            assertThat(s.outboundBytes()).isLessThanOrEqualTo(HARD).isGreaterThan(HARD - frame);
            assertThat(s.send(push(0))).as("refused beyond the hard limit").isFalse();

            assertThat(peer.drain(300)).isGreaterThan(queued);
            assertThat(server.writability).containsExactly(false, true);
            assertThat(s.isWritable()).isTrue();
            assertThat(s.outboundBytes()).isZero();
            assertThat(s.send(push(1))).isTrue();
        }
    }
}
