package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed encodings in src/test/resources/golden are the version-1 wire format. A change
 * that alters any of them breaks compatibility with deployed peers and must bump the version.
 */
class GoldenEncodingTest {

    static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenEncodingTest.class.getResourceAsStream("/golden/" + name + ".hex")) {
            assertThat(in).as("golden file %s.hex", name).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String hex = Arrays.stream(text.split("\n"))
                    .filter(line -> !line.startsWith("#"))
                    .collect(Collectors.joining())
                    .replaceAll("\\s", "");
            return HexFormat.of().parseHex(hex);
        }
    }

    @TestFactory
    Iterable<DynamicTest> everyFrameTypeEncodesToItsGoldenBytes() {
        return FrameSamples.all().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> assertThat(HexFormat.of().formatHex(
                        FrameCodec.encode(e.getValue()))).isEqualTo(HexFormat.of().formatHex(golden(e.getKey())))))
                .toList();
    }

    @TestFactory
    Iterable<DynamicTest> everyGoldenEncodingDecodesToItsFrame() {
        return FrameSamples.all().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    ByteBuffer in = ByteBuffer.wrap(golden(e.getKey()));
                    assertThat(FrameCodec.decode(in)).isEqualTo(e.getValue());
                    assertThat(in.hasRemaining()).isFalse();
                }))
                .toList();
    }

    @Test
    void samplesCoverEveryFrameTypeAndAnUnknownOne() {
        Map<String, Frame> all = FrameSamples.all();
        Set<Integer> codes = all.values().stream().map(Frame::typeCode).collect(Collectors.toSet());
        for (FrameType t : FrameType.values()) {
            assertThat(codes).as("sample for %s", t).contains(t.code());
        }
        assertThat(all.values()).anyMatch(f -> f instanceof Frame.Unknown);
    }

    @Test
    void encodedLengthMatchesTheBytesWritten() {
        for (Frame f : FrameSamples.all().values()) {
            assertThat(FrameCodec.encode(f)).hasSize(FrameCodec.encodedLength(f));
        }
    }
}
