package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.wire.MessageId;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The text envelope: the sender's time, padding to buckets, and version 1 envelopes still read. */
class EnvelopeTest {
    private static final DeviceRef ALICE = new DeviceRef("alice", 1);

    @Test
    void aTextIsPaddedToItsBucketAndKeepsTheSendersTime() throws Exception {
        var shortOne = new Envelope.Text(ALICE, new MessageId(1, 2), "bob", "hi", 1_700_000_000_123L).encode();
        var longer = new Envelope.Text(ALICE, new MessageId(1, 3), "bob", "x".repeat(150), 1L).encode();
        assertThat(shortOne).hasSize(256);
        assertThat(longer).hasSize(256);
        assertThat(new Envelope.Text(ALICE, new MessageId(1, 3), "bob", "x".repeat(250), 1L).encode()).hasSize(512);
        assertThat(new Envelope.Text(ALICE, new MessageId(1, 3), "b".repeat(32), "x".repeat(Envelope.MAX_TEXT_BYTES),
                1L).encode().length).isLessThanOrEqualTo(Envelope.MAX_ENVELOPE_BYTES);
        var decoded = (Envelope.Text) Envelope.decode(shortOne);
        assertThat(decoded.text()).isEqualTo("hi");
        assertThat(decoded.sentAtMs()).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void aVersion1EnvelopeWithoutTimeOrPaddingStillOpens() throws Exception {
        byte[] v1 = BinaryWriter.growable(64).u8(1).u8(Envelope.TEXT).str8("alice").u32(1).raw(new MessageId(4, 5).toBytes())
                .str8("bob").bytes16("old".getBytes(StandardCharsets.UTF_8)).toByteArray();
        var decoded = (Envelope.Text) Envelope.decode(v1);
        assertThat(decoded.text()).isEqualTo("old");
        assertThat(decoded.sentAtMs()).isEqualTo(-1);
    }

    @Test
    void paddingThatIsNotZeroIsRefused() {
        byte[] bytes = new Envelope.Text(ALICE, new MessageId(1, 2), "bob", "hi", 5L).encode();
        bytes[bytes.length - 1] = 1;
        assertThatThrownBy(() -> Envelope.decode(bytes)).isInstanceOf(Malformed.class).hasMessageContaining("padding");
    }
}
