package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-to-end key distribution frames (0x50–0x56): bounds, lying counts, fitting. */
class KeyFramesTest {

    private static void assertMalformed(ByteBuffer b, String messagePart) {
        MalformedFrameException e = catchThrowableOfType(MalformedFrameException.class, () -> FrameCodec.decode(b));
        assertThat(e).as("expected a malformed frame (%s)", messagePart).isNotNull();
        assertThat(e.getMessage()).contains(messagePart);
    }

    @Test
    void moreOneTimePrekeysThanAnUploadHoldsAreMalformed() {
        var p = RawFrames.payload().u16(1).u8(1).u16(1).u8(2).u16(1).u8(3).u16(Limits.PREKEYS_PER_UPLOAD + 1);
        for (int i = 0; i <= Limits.PREKEYS_PER_UPLOAD; i++) {
            p.u8(1).u8(i);
        }
        assertMalformed(p.frame(0x50, 1), "one-time prekeys");
    }

    @Test
    void aKeyOverItsBoundIsMalformed() {
        assertMalformed(RawFrames.payload().u16(Limits.KEY + 1).zeros(Limits.KEY + 1).u16(0).u16(0).u16(0)
                .frame(0x50, 1), "at most");
    }

    @Test
    void aDeviceCountLargerThanTheFrameIsMalformedBeforeAllocating() {
        assertMalformed(RawFrames.payload().u16(1).str8("bob").u8(200).u32(1).u16(0).u8(0).frame(0x53, 1),
                "more than the frame holds");
    }

    @Test
    void tooManyUsersOrDevicesInARequestAreMalformed() {
        var users = RawFrames.payload().u16(Limits.USERS_PER_KEY_REQUEST + 1);
        for (int i = 0; i <= Limits.USERS_PER_KEY_REQUEST; i++) {
            users.str8("u");
        }
        assertMalformed(users.frame(0x52, 1), "users");
        var devices = RawFrames.payload().str8("bob").u16(Limits.DEVICES_PER_BUNDLE_REQUEST + 1)
                .zeros(4 * (Limits.DEVICES_PER_BUNDLE_REQUEST + 1));
        assertMalformed(devices.frame(0x54, 1), "devices");
    }

    @Test
    void sendDevicesWithAnUndefinedKindIsMalformed() {
        assertMalformed(RawFrames.payload().u8(9).str8("bob").zeros(16).u8(1).u16(0).frame(0x56, 1), "kind");
    }

    @Test
    void constructorsRefuseWhatCouldNotBeEncoded() {
        List<Runnable> cases = List.of(
                () -> new KeyFrame.KeysPublish(1, new byte[Limits.KEY + 1], new byte[0], new byte[0], List.of()),
                () -> new KeyFrame.KeysPublish(1, new byte[0], new byte[0], new byte[0],
                        Collections.nCopies(Limits.PREKEYS_PER_UPLOAD + 1, new byte[1])),
                () -> new KeyFrame.KeysStatus(0, 65_536),
                () -> new KeyFrame.DeviceKeys(1, Collections.nCopies(Limits.USERS_PER_KEY_REQUEST + 1, "u")),
                () -> new KeyFrame.KeyBundles(1, "bob", Collections.nCopies(Limits.DEVICES_PER_BUNDLE_REQUEST + 1, 1)),
                () -> new DeviceBody("bob", 1, new byte[Limits.BODY + 1]),
                () -> new MessageFrame.SendDevices(1, TargetKind.DIRECT, "bob", FrameSamples.ID, 1, List.of(
                        new DeviceBody("bob", 1, new byte[Limits.BODY]), new DeviceBody("bob", 2, new byte[Limits.BODY]))));
        for (Runnable c : cases) {
            assertThatThrownBy(c::run).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sendDevicesFillsAFrameExactlyToItsBound() throws Exception {
        String target = "bob";
        int room = Frame.MAX_PAYLOAD - MessageFrame.SendDevices.fixedLength(target);
        var one = new DeviceBody("bob", 1, new byte[0]);
        int body = room - one.encodedLength();
        var full = new MessageFrame.SendDevices(1, TargetKind.DIRECT, target, FrameSamples.ID, 1,
                List.of(new DeviceBody("bob", 1, new byte[Math.min(body, Limits.BODY)]),
                        new DeviceBody("al", 2, new byte[body - Math.min(body, Limits.BODY) - 7 - 2])));
        assertThat(FrameCodec.encodedLength(full)).isEqualTo(Protocol.MAX_PLAINTEXT);
        assertThat(FrameCodec.decode(ByteBuffer.wrap(FrameCodec.encode(full)))).isEqualTo(full);
    }

    @Test
    void fittingRepliesStopAtTheFrameBoundAndSaySo() {
        List<UserDeviceKeys> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<DeviceKey> devices = new ArrayList<>();
            for (int d = 0; d < 32; d++) {
                devices.add(new DeviceKey(d, new byte[129]));
            }
            many.add(new UserDeviceKeys("user" + i, devices));
        }
        var reply = KeyFrame.DeviceKeysReply.fitting(7, many);
        assertThat(reply.more()).isTrue();
        assertThat(reply.users()).isNotEmpty().hasSizeLessThan(many.size());
        assertThat(FrameCodec.encodedLength(reply)).isLessThanOrEqualTo(Protocol.MAX_PLAINTEXT);
        var small = KeyFrame.DeviceKeysReply.fitting(7, many.subList(0, 2));
        assertThat(small.more()).isFalse();
        assertThat(small.users()).hasSize(2);
    }
}
