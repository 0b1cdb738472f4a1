package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random input never makes the decoder throw anything but MalformedFrameException, and every
 * frame it does accept re-encodes to exactly the bytes it consumed (the encoding is canonical).
 * Seeds are fixed and printed so a failure can be replayed; -Psoak runs many more rounds.
 */
class FrameFuzzTest {
    private static final long SEED = 0x5EED_C0DEL;
    private static final int ROUNDS = Boolean.getBoolean("crumbhub.soak") ? 2_000_000 : 30_000;

    @Test
    void randomGarbageOnlyEverYieldsMalformedFrames() {
        Random rnd = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            if (b.length >= 2 && rnd.nextBoolean()) {
                int len = 5 + rnd.nextInt(b.length);
                b[0] = (byte) (len >>> 8);
                b[1] = (byte) len;
            }
            if (b.length >= 3 && rnd.nextBoolean()) {
                b[2] = (byte) FrameType.values()[rnd.nextInt(FrameType.values().length)].code();
            }
            decodeAll(b, "seed " + SEED + " round " + round);
        }
    }

    @Test
    void mutatedValidFramesOnlyEverYieldFramesOrMalformedFrames() {
        Random rnd = new Random(SEED + 1);
        List<byte[]> samples = FrameSamples.all().values().stream().map(FrameCodec::encode).toList();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] b = samples.get(rnd.nextInt(samples.size())).clone();
            int flips = 1 + rnd.nextInt(3);
            for (int i = 0; i < flips; i++) {
                int at = rnd.nextInt(b.length);
                b[at] = rnd.nextInt(4) == 0 ? (byte) (b[at] + 1) : (byte) rnd.nextInt(256);
            }
            decodeAll(b, "seed " + (SEED + 1) + " round " + round);
        }
    }

    private static void decodeAll(byte[] bytes, String where) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            while (in.hasRemaining()) {
                int start = in.position();
                Frame f = FrameCodec.decode(in);
                if (f == null) {
                    assertThat(in.position()).isEqualTo(start);
                    return;
                }
                if (!(f instanceof Frame.Unknown)) {
                    byte[] consumed = new byte[in.position() - start];
                    in.get(start, consumed);
                    assertThat(FrameCodec.encode(f)).as("canonical re-encoding, %s", where).isEqualTo(consumed);
                }
            }
        } catch (MalformedFrameException expected) {
            assertThat(expected.code()).isEqualTo(ErrorCode.MALFORMED);
        } catch (RuntimeException | Error e) {
            fail("decoder threw " + e + " at " + where, e);
        }
    }
}
