package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static Frame decodeWhole(ByteBuffer b) throws MalformedFrameException {
        Frame f = FrameCodec.decode(b);
        assertThat(b.hasRemaining()).as("bytes left after the frame").isFalse();
        return f;
    }

    @Test
    void everySampleSurvivesBeingFedOneByteAtATime() throws Exception {
        for (Frame sample : FrameSamples.all().values()) {
            byte[] enc = FrameCodec.encode(sample);
            ByteBuffer acc = ByteBuffer.allocate(enc.length);
            for (int i = 0; i < enc.length; i++) {
                acc.put(enc[i]).flip();
                Frame f = FrameCodec.decode(acc);
                if (i < enc.length - 1) {
                    assertThat(f).as("%s after %d of %d bytes", sample.typeName(), i + 1, enc.length).isNull();
                    assertThat(acc.position()).isZero();
                    acc.position(acc.limit()).limit(acc.capacity());
                } else {
                    assertThat(f).isEqualTo(sample);
                    assertThat(acc.hasRemaining()).isFalse();
                }
            }
        }
    }

    @Test
    void everySplitPointOfAFrameSequenceDecodesTheSameFrames() throws Exception {
        List<Frame> samples = new ArrayList<>(FrameSamples.all().values());
        ByteBuffer all = ByteBuffer.allocate(samples.stream().mapToInt(FrameCodec::encodedLength).sum());
        samples.forEach(f -> FrameCodec.encode(f, all));
        byte[] bytes = all.array();
        for (int split = 0; split <= bytes.length; split += 7) {
            ByteBuffer acc = ByteBuffer.allocate(bytes.length);
            List<Frame> got = new ArrayList<>();
            acc.put(bytes, 0, split).flip();
            drain(acc, got);
            acc.compact().put(bytes, split, bytes.length - split).flip();
            drain(acc, got);
            assertThat(got).as("split at %d", split).containsExactlyElementsOf(samples);
        }
    }

    private static void drain(ByteBuffer acc, List<Frame> out) throws MalformedFrameException {
        Frame f;
        while ((f = FrameCodec.decode(acc)) != null) {
            out.add(f);
        }
    }

    @Test
    void encodeIntoATooSmallBufferWritesNothing() {
        Frame f = FrameSamples.all().get("30-SEND");
        ByteBuffer small = ByteBuffer.allocate(FrameCodec.encodedLength(f) - 1);
        assertThatThrownBy(() -> FrameCodec.encode(f, small)).isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).isZero();
    }

    @Test
    void littleEndianBuffersAreRefused() {
        ByteBuffer le = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        assertThatThrownBy(() -> FrameCodec.decode(le)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownTypeDecodesAsUnknownAndSkipsItsPayload() throws Exception {
        ByteBuffer b = RawFrames.payload().zeros(100).frame(0x5a, 77);
        assertThat(decodeWhole(b)).isEqualTo(new Frame.Unknown(77, 0x5a));
    }

    @Test
    void unknownRecordRefusesAKnownType() {
        assertThatThrownBy(() -> new Frame.Unknown(1, 0x30)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestBodyFitsInOneFrameAndOneNoiseMessage() throws Exception {
        MessageFrame.Deliver d = new MessageFrame.Deliver(0, TargetKind.ROOM, RawFrames.repeat('r', 32), RawFrames.repeat('u', 32),
                1, 2, 3, FrameSamples.ID, 2, new byte[Limits.BODY]);
        assertThat(FrameCodec.encodedLength(d)).isLessThanOrEqualTo(Protocol.MAX_PLAINTEXT);
        assertThat(decodeWhole(ByteBuffer.wrap(FrameCodec.encode(d)))).isEqualTo(d);
    }

    @Test
    void unsignedFieldsRoundTripAtTheirMaximum() throws Exception {
        List<Frame> frames = List.of(new MessageFrame.SendOk(-1, -1L, -1L), new MessageFrame.SyncDone(-1, -1, -1L),
                new DeviceFrame.DeviceRevoke(-1, -1), new AuthFrame.Resume(-1, "a", -1, FrameSamples.token()));
        for (Frame f : frames) {
            assertThat(decodeWhole(ByteBuffer.wrap(FrameCodec.encode(f)))).isEqualTo(f);
        }
    }

    @Test
    void fittingTruncatesALongListAndSaysSo() throws Exception {
        List<MemberInfo> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(new MemberInfo("user_" + RawFrames.repeat('x', 20) + i, MemberRole.MEMBER));
        }
        RoomFrame.MemberList fit = RoomFrame.MemberList.fitting(1, many);
        assertThat(fit.more()).isTrue();
        assertThat(fit.members()).isNotEmpty().hasSizeLessThan(many.size());
        assertThat(FrameCodec.encodedLength(fit)).isLessThanOrEqualTo(Protocol.MAX_PLAINTEXT);
        assertThat(decodeWhole(ByteBuffer.wrap(FrameCodec.encode(fit)))).isEqualTo(fit);
        assertThat(RoomFrame.MemberList.fitting(1, many.subList(0, 10)).more()).isFalse();
        assertThatThrownBy(() -> new RoomFrame.MemberList(1, many, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsPasswordsTokensOrBodies() {
        byte[] pw = FrameSamples.utf8("hunter2-secret");
        String s = new AuthFrame.Register(1, "alice", pw, "INVITE-CODE", "laptop") + " "
                + new AuthFrame.Login(1, "alice", pw, "laptop") + " "
                + new AuthFrame.AuthOk(1, "alice", 1, FrameSamples.token()) + " "
                + new MessageFrame.Send(1, TargetKind.ROOM, "r", FrameSamples.ID, 0, FrameSamples.utf8("top secret text"));
        assertThat(s).doesNotContain("hunter2", "INVITE-CODE", "top secret", "[B@").contains("redacted");
    }

    @Test
    void errorFrameMapsItsStableCode() {
        assertThat(ControlFrame.Error.of(1, ErrorCode.BAD_CREDENTIALS, "no").code()).isEqualTo("bad_credentials");
        assertThat(new ControlFrame.Error(1, "bad_credentials", "no").errorCode()).contains(ErrorCode.BAD_CREDENTIALS);
        assertThat(new ControlFrame.Error(1, "from_the_future", "no").errorCode()).isEmpty();
    }

    @Test
    void messageIdPrintsAndParsesAsHex() {
        assertThat(FrameSamples.ID.toString()).isEqualTo("0123456789abcdeffedcba9876543210");
        assertThat(MessageId.parse(FrameSamples.ID.toString())).isEqualTo(FrameSamples.ID);
        assertThat(MessageId.fromBytes(FrameSamples.ID.toBytes())).isEqualTo(FrameSamples.ID);
    }

    @Test
    void deviceTokenComparesByValueAndIsZeroedByDestroy() {
        DeviceToken a = FrameSamples.token();
        DeviceToken b = FrameSamples.token();
        assertThat(a).isEqualTo(b).hasToString("DeviceToken[redacted]");
        b.destroy();
        assertThat(a.matches(b)).isFalse();
        assertThat(b.toByteArray()).containsOnly(0);
    }
}
