package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.junit.jupiter.api.Test;

class OutBufferTest {

    /** A channel that takes at most {@code perWrite} bytes a call. */
    private static final class Slow implements WritableByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int perWrite;

        Slow(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(perWrite, src.remaining());
            for (int i = 0; i < n; i++) {
                taken.write(src.get());
            }
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

    @Test
    void growsUpToTheLimitAndRefusesBeyond() {
        var out = new OutBuffer(4096);
        for (int i = 0; i < 4; i++) {
            assertThat(out.reserve(1000)).isNotNull().satisfies(b -> b.put(new byte[1000]));
        }
        assertThat(out.size()).isEqualTo(4000);
        assertThat(out.reserve(97)).isNull();
        assertThat(out.reserve(96)).isNotNull();
    }

    @Test
    void partialWritesKeepOrderAndTheRest() throws Exception {
        var out = new OutBuffer(1 << 16);
        out.reserve(5).put("hello".getBytes());
        var ch = new Slow(3);
        assertThat(out.writeTo(ch)).isFalse();
        out.reserve(6).put(" world".getBytes());
        assertThat(out.writeTo(ch)).isFalse();
        ch.perWrite = 100;
        assertThat(out.writeTo(ch)).isTrue();
        assertThat(ch.taken.toString()).isEqualTo("hello world");
        assertThat(out.size()).isZero();
    }

    @Test
    void trimDropsOnlyAnEmptyBuffer() throws Exception {
        var out = new OutBuffer(1 << 16);
        out.reserve(3).put(new byte[3]);
        out.trim();
        assertThat(out.size()).isEqualTo(3);
        out.writeTo(new Slow(10));
        out.trim();
        assertThat(out.size()).isZero();
    }
}
