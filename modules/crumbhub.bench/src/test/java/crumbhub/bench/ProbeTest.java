package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProbeTest {

    private static Probe sample() {
        return new Probe().set(0xCAFEBABE, 7, 123_456, 0x0123_4567_89AB_CDEFL, -42L);
    }

    private static void assertSameFields(Probe p) {
        assertThat(p.run).isEqualTo(0xCAFEBABE);
        assertThat(p.step).isEqualTo(7);
        assertThat(p.sender).isEqualTo(123_456);
        assertThat(p.seq).isEqualTo(0x0123_4567_89AB_CDEFL);
        assertThat(p.sentNanos).isEqualTo(-42L);
    }

    @Test
    void binaryBodyHasTheRequestedSizeAndRoundTrips() {
        byte[] body = sample().toBinary(200);
        assertThat(body).hasSize(200);
        var p = new Probe();
        assertThat(p.fromBinary(body)).isTrue();
        assertSameFields(p);
    }

    @Test
    void textBodyIsPrintableWithoutSpacesAndRoundTrips() {
        byte[] line = new byte[300];
        sample().toText(line, 10, 120);
        String text = new String(line, 10, 120, StandardCharsets.US_ASCII);
        assertThat(text).matches("[\\x21-\\x7e]{120}");
        var p = new Probe();
        assertThat(p.fromText(line, 10, 120)).isTrue();
        assertSameFields(p);
    }

    @Test
    void foreignBodiesAreNotProbes() {
        var p = new Probe();
        assertThat(p.fromBinary(new byte[100])).isFalse();
        assertThat(p.fromBinary("CHB1".getBytes(StandardCharsets.US_ASCII))).isFalse();
        byte[] hello = "hello, this is a person typing and not a bench message at all".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.fromText(hello, 0, hello.length)).isFalse();
        byte[] text = new byte[64];
        sample().toText(text, 0, 64);
        text[20] = 'G';
        assertThat(p.fromText(text, 0, 64)).isFalse();
        assertThat(p.fromText(text, 0, Probe.HEADER - 1)).isFalse();
    }

    @Test
    void sizeBelowTheHeaderIsRefused() {
        assertThatThrownBy(() -> sample().toBinary(Probe.HEADER - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sample().toBinary(Probe.HEADER)).hasSize(Probe.HEADER);
    }
}
