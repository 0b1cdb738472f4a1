package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.testkit.Await;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.EncodedFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendBatchTest extends LoopbackFixture {
    private static final int SOFT = 8 * 1024;
    private static final int HARD = 16 * 1024;

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withOutboundLimits(SOFT, HARD);
    }

    private static MessageFrame.Deliver deliver(long seq) {
        return new MessageFrame.Deliver(0, TargetKind.ROOM, "room", "alice", 1, seq, 1000 + seq, new MessageId(7, seq), 1,
                new byte[100]);
    }

    /** Runs {@code body} on a fresh thread (not a loop thread) and waits for it. */
    private static void onOtherThread(ThrowingRunnable body) throws Exception {
        var done = new CompletableFuture<Void>();
        Thread.ofPlatform().name("sender").start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(WAIT_S, TimeUnit.SECONDS);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private record Pair(RecordingHandler client, Connection server) {}

    private Pair open() throws Exception {
        var client = new RecordingHandler();
        connect(client);
        client.awaitReady();
        return new Pair(client, nextServerHandler().awaitReady());
    }

    @Test
    void framesSentInABatchWaitForTheFlushThenLeaveAsOneNoiseMessageInSendOrder() throws Exception {
        Pair p = open();
        var server = (NoiseConnection) p.server();
        long before = onLoop(server.loop(), server::messagesSent);
        onOtherThread(() -> {
            try (SendBatch batch = SendBatch.open()) {
                for (int i = 1; i <= 50; i++) {
                    assertThat(p.server().send(EncodedFrame.of(deliver(i)))).isTrue();
                }
                assertThat(p.server().send(new ControlFrame.Ok(51))).isTrue();
                assertThat(p.server().outboundBytes()).as("room is reserved at send").isPositive();
                // a task queued on the loop now runs after any write the sends above had queued
                assertThat(onLoop(server.loop(), server::messagesSent)).as("nothing leaves before the flush")
                        .isEqualTo(before);
                assertThat(p.client().frames).isEmpty();
                batch.flush();
            }
        });
        for (int i = 1; i <= 50; i++) {
            assertThat(p.client().nextFrame()).isEqualTo(deliver(i));
        }
        assertThat(p.client().nextFrame()).isEqualTo(new ControlFrame.Ok(51));
        assertThat(onLoop(server.loop(), server::messagesSent) - before).as("one Noise message").isEqualTo(1);
    }

    @Test
    void orderIsKeptAcrossFramesSentBeforeDuringAndAfterABatch() throws Exception {
        Pair p = open();
        onOtherThread(() -> {
            p.server().send(new ControlFrame.Ok(1));
            try (SendBatch batch = SendBatch.open()) {
                p.server().send(new ControlFrame.Ok(2));
                batch.flush();
                p.server().send(new ControlFrame.Ok(3));
            }
            p.server().send(new ControlFrame.Ok(4));
        });
        List<Frame> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(p.client().nextFrame());
        }
        assertThat(got).containsExactly(new ControlFrame.Ok(1), new ControlFrame.Ok(2), new ControlFrame.Ok(3), new ControlFrame.Ok(4));
    }

    @Test
    void theHardLimitCountsFramesStillWaitingInTheBatch() throws Exception {
        Pair p = open();
        int size = FrameCodec.encodedLength(deliver(1));
        EncodedFrame frame = EncodedFrame.of(deliver(1));
        onOtherThread(() -> {
            try (SendBatch batch = SendBatch.open()) {
                int accepted = 0;
                while (p.server().send(frame)) {
                    accepted++;
                }
                assertThat((long) accepted * size).isLessThanOrEqualTo(HARD).isGreaterThan(HARD - size);
                assertThat(p.server().isWritable()).isFalse();
                batch.flush();
            }
        });
        Await.until(() -> p.server().outboundBytes() == 0, "the batch written");
        assertThat(p.client().nextFrame()).as("the batch was written once flushed").isEqualTo(deliver(1));
    }

    @Test
    void closingAfterFlushWaitsForFramesStillInTheBatch() throws Exception {
        Pair p = open();
        onOtherThread(() -> {
            try (SendBatch batch = SendBatch.open()) {
                p.server().send(new ControlFrame.Ok(1));
                p.server().closeAfterFlush();
                onLoop(p.server().loop(), () -> null); // the close has reached the loop before the batch does
                batch.flush();
            }
        });
        assertThat(p.client().nextFrame()).isEqualTo(new ControlFrame.Ok(1));
        assertThat(p.client().awaitClosed().kind()).isEqualTo(CloseReason.Kind.PEER_CLOSED);
    }

    @Test
    void aFrameBatchedForALoopThatShutDownGivesBackItsRoom() throws Exception {
        Pair p = open();
        onOtherThread(() -> {
            try (SendBatch batch = SendBatch.open()) {
                assertThat(p.server().send(new ControlFrame.Ok(1))).isTrue();
                serverLoops.shutdownGracefully().get(WAIT_S, TimeUnit.SECONDS);
                batch.flush();
            }
        });
        assertThat(p.server().outboundBytes()).isZero();
    }

    @Test
    void aThreadHasAtMostOneBatchAndOnlyItsOwnerFlushesIt() throws Exception {
        onOtherThread(() -> {
            try (SendBatch batch = SendBatch.open()) {
                assertThatThrownBy(SendBatch::open).isInstanceOf(IllegalStateException.class);
                var other = new CompletableFuture<Throwable>();
                Thread.ofPlatform().start(() -> {
                    try {
                        batch.flush();
                        other.complete(null);
                    } catch (Throwable t) {
                        other.complete(t);
                    }
                });
                assertThat(other.get(WAIT_S, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            }
            try (SendBatch again = SendBatch.open()) {
                assertThat(again).isNotNull();
            }
        });
    }
}
