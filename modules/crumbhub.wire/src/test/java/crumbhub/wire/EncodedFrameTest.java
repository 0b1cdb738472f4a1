package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EncodedFrameTest {
    private static final MessageFrame.Deliver DELIVER = new MessageFrame.Deliver(0, TargetKind.DIRECT, "bob", "alice", 3, 42, 1234,
            new MessageId(1, 2), 1, new byte[] {9, 8, 7});

    @Test
    void holdsTheCodecsEncodingAndDecodesBackToTheFrame() throws Exception {
        EncodedFrame e = EncodedFrame.of(DELIVER);
        ByteBuffer out = ByteBuffer.allocate(e.length());
        e.writeTo(out);
        assertThat(out.array()).isEqualTo(FrameCodec.encode(DELIVER));
        assertThat(e.length()).isEqualTo(FrameCodec.encodedLength(DELIVER));
        assertThat(e.frame()).isSameAs(DELIVER);
        assertThat(FrameCodec.decode(out.flip())).isEqualTo(DELIVER);
    }

    @Test
    void writesNothingWhenTheBufferIsTooSmall() {
        EncodedFrame e = EncodedFrame.of(DELIVER);
        ByteBuffer out = ByteBuffer.allocate(e.length() - 1);
        assertThatThrownBy(() -> e.writeTo(out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
    }

    @Test
    void toStringNamesTheTypeButNotTheBody() {
        assertThat(EncodedFrame.of(DELIVER).toString()).contains("DELIVER").doesNotContain("9, 8, 7");
    }
}
