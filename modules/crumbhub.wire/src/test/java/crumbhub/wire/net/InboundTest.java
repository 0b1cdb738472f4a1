package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundTest {

    /** A channel that hands out {@code data} at most {@code chunk} bytes per read, then end of stream. */
    private static final class ChunkedChannel implements ReadableByteChannel {
        private final ByteBuffer data;
        private final int chunk;
        private boolean pause;

        ChunkedChannel(byte[] data, int chunk) {
            this.data = ByteBuffer.wrap(data);
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!data.hasRemaining()) {
                return -1;
            }
            pause = !pause;
            if (pause) {
                return 0; // like a non-blocking socket with nothing more yet
            }
            int n = Math.min(chunk, Math.min(dst.remaining(), data.remaining()));
            dst.put(data.slice(data.position(), n));
            data.position(data.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static final class Recorder implements Inbound.Sink {
        final List<byte[]> messages = new ArrayList<>();
        final List<Integer> announced = new ArrayList<>();

        @Override
        public void checkLength(int length) throws ProtocolException {
            announced.add(length);
            if (length > 1_000) {
                throw new ProtocolException(Kind.PROTOCOL_ERROR, "too long: " + length);
            }
        }

        @Override
        public void onMessage(ByteBuffer message) {
            byte[] m = new byte[message.remaining()];
            message.get(m);
            messages.add(m);
        }

        @Override
        public boolean accepting() {
            return true;
        }
    }

    private static byte[] stream(int... sizes) {
        ByteBuffer b = ByteBuffer.allocate(sizes.length * 2 + java.util.Arrays.stream(sizes).sum());
        byte v = 0;
        for (int size : sizes) {
            b.putShort((short) size);
            for (int i = 0; i < size; i++) {
                b.put(v++);
            }
        }
        return b.array();
    }

    @Test
    void messagesSurviveEveryChunkSizeDownToOneByte() throws Exception {
        byte[] data = stream(1, 300, 2, 255, 256, 7);
        for (int chunk = 1; chunk <= data.length; chunk++) {
            var inbound = new Inbound();
            var sink = new Recorder();
            var ch = new ChunkedChannel(data, chunk);
            ByteBuffer scratch = ByteBuffer.allocate(64);
            int guard = 0;
            while (inbound.readFrom(ch, scratch, sink)) {
                assertThat(++guard).as("chunk %d makes progress", chunk).isLessThan(10 * data.length);
            }
            assertThat(sink.messages).as("chunk %d", chunk).extracting(m -> m.length)
                    .containsExactly(1, 300, 2, 255, 256, 7);
            assertThat(inbound.hasPartial()).isFalse();
            byte expected = 0;
            for (byte[] m : sink.messages) {
                for (byte b : m) {
                    assertThat(b).isEqualTo(expected++);
                }
            }
        }
    }

    @Test
    void aRefusedLengthIsReportedBeforeItsBytesAreBuffered() {
        var inbound = new Inbound();
        var sink = new Recorder();
        byte[] data = {0x7f, (byte) 0xff, 1, 2, 3};
        assertThatThrownBy(() -> {
            var ch = new ChunkedChannel(data, 1);
            while (inbound.readFrom(ch, ByteBuffer.allocate(64), sink)) {
                assertThat(sink.announced.size()).isLessThanOrEqualTo(1);
            }
        }).isInstanceOf(ProtocolException.class).hasMessageContaining("too long: 32767");
    }

    @Test
    void aZeroLengthMessageIsAProtocolError() {
        var inbound = new Inbound();
        var ch = new ChunkedChannel(new byte[] {0, 0, 9}, 3);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10 && inbound.readFrom(ch, ByteBuffer.allocate(64), new Recorder()); i++) {
                assertThat(ch.data.hasRemaining()).isTrue();
            }
        }).isInstanceOf(ProtocolException.class).hasMessageContaining("zero-length");
    }

    @Test
    void endOfStreamInTheMiddleOfAMessageLeavesItPartial() throws Exception {
        var inbound = new Inbound();
        var ch = new ChunkedChannel(new byte[] {0, 10, 1, 2, 3}, 5);
        while (inbound.readFrom(ch, ByteBuffer.allocate(64), new Recorder())) {
            assertThat(inbound.hasPartial() || ch.data.hasRemaining()).isTrue();
        }
        assertThat(inbound.hasPartial()).isTrue();
    }
}
