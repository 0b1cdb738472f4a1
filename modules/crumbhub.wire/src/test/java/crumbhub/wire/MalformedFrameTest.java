package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MalformedFrameTest {

    private static MalformedFrameException malformed(ByteBuffer b) {
        return catchThrowableOfType(MalformedFrameException.class, () -> FrameCodec.decode(b));
    }

    private static void assertMalformed(ByteBuffer b, String messagePart) {
        MalformedFrameException e = malformed(b);
        assertThat(e).as("expected a malformed frame (%s)", messagePart).isNotNull();
        assertThat(e.getMessage()).contains(messagePart);
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void everyStringFieldOneByteOverItsBoundIsMalformed() {
        String name33 = RawFrames.repeat('n', Limits.NAME + 1);
        String name = "ok";
        Map<String, Supplier<ByteBuffer>> cases = Map.ofEntries(
                Map.entry("error code", () -> RawFrames.payload().str8(RawFrames.repeat('c', Limits.CODE + 1)).u16(0)
                        .frame(0x02, 1)),
                Map.entry("error message", () -> RawFrames.payload().str8("x").u16(Limits.TEXT + 1)
                        .zeros(Limits.TEXT + 1).frame(0x02, 1)),
                Map.entry("register user", () -> RawFrames.payload().str8(name33).u8(0).str8("").str8("d")
                        .frame(0x10, 1)),
                Map.entry("register invite", () -> RawFrames.payload().str8(name).u8(0)
                        .str8(RawFrames.repeat('i', Limits.INVITE + 1)).str8("d").frame(0x10, 1)),
                Map.entry("register device name", () -> RawFrames.payload().str8(name).u8(0).str8("")
                        .str8(RawFrames.repeat('d', Limits.DEVICE_NAME + 1)).frame(0x10, 1)),
                Map.entry("login device name", () -> RawFrames.payload().str8(name).u8(0)
                        .str8(RawFrames.repeat('d', Limits.DEVICE_NAME + 1)).frame(0x11, 1)),
                Map.entry("resume user", () -> RawFrames.payload().str8(name33).u32(1).zeros(32).frame(0x12, 1)),
                Map.entry("auth ok user", () -> RawFrames.payload().str8(name33).u32(1).zeros(32).frame(0x13, 1)),
                Map.entry("device list name", () -> RawFrames.payload().u16(1).u32(1)
                        .str8(RawFrames.repeat('d', Limits.DEVICE_NAME + 1)).u64(0).u64(0).u8(0).u8(0)
                        .frame(0x16, 1)),
                Map.entry("room create", () -> RawFrames.payload().str8(name33).frame(0x20, 1)),
                Map.entry("room invite user", () -> RawFrames.payload().str8(name).str8(name33).frame(0x21, 1)),
                Map.entry("room join", () -> RawFrames.payload().str8(name33).frame(0x22, 1)),
                Map.entry("room leave", () -> RawFrames.payload().str8(name33).frame(0x23, 1)),
                Map.entry("room kick room", () -> RawFrames.payload().str8(name33).str8(name).frame(0x24, 1)),
                Map.entry("room list reply room", () -> RawFrames.payload().u16(1).str8(name33).u8(1).u16(0).u8(0)
                        .frame(0x26, 1)),
                Map.entry("room members", () -> RawFrames.payload().str8(name33).frame(0x27, 1)),
                Map.entry("member list user", () -> RawFrames.payload().u16(1).str8(name33).u8(1).u8(0)
                        .frame(0x28, 1)),
                Map.entry("send target", () -> RawFrames.payload().u8(1).str8(name33).zeros(16).u8(0).u16(0)
                        .frame(0x30, 1)),
                Map.entry("send body", () -> RawFrames.payload().u8(1).str8(name).zeros(16).u8(0)
                        .u16(Limits.BODY + 1).zeros(Limits.BODY + 1).frame(0x30, 1)),
                Map.entry("deliver from", () -> RawFrames.payload().u8(1).str8(name).str8(name33).u32(1).u64(1)
                        .u64(1).zeros(16).u8(0).u16(0).frame(0x34, 0)),
                Map.entry("deliver body", () -> RawFrames.payload().u8(1).str8(name).str8(name).u32(1).u64(1)
                        .u64(1).zeros(16).u8(0).u16(Limits.BODY + 1).zeros(Limits.BODY + 1).frame(0x34, 0)));
        cases.forEach((what, frame) -> assertMalformed(frame.get(), "at most"));
    }

    @Test
    void constructorsRefuseFieldsOverTheirBound() {
        String name33 = RawFrames.repeat('n', Limits.NAME + 1);
        List<Runnable> cases = List.of(
                () -> new RoomFrame.RoomJoin(1, name33),
                () -> new AuthFrame.Register(1, "a", new byte[Limits.PASSWORD + 1], "", "d"),
                () -> new ControlFrame.Error(1, "x", RawFrames.repeat('m', Limits.TEXT + 1)),
                () -> new MessageFrame.Send(1, TargetKind.ROOM, "r", FrameSamples.ID, 0, new byte[Limits.BODY + 1]),
                () -> new MessageFrame.Send(1, TargetKind.ROOM, "r", FrameSamples.ID, 256, new byte[0]),
                () -> new RoomInfo("r", RoomStatus.MEMBER, 65_536),
                () -> new RoomFrame.RoomJoin(1, "\uD800"));
        for (Runnable c : cases) {
            assertThatThrownBy(c::run).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theLargestPasswordABytes8FieldCanHoldIsAccepted() throws Exception {
        Frame f = new AuthFrame.Login(1, "a", new byte[Limits.PASSWORD], "d");
        assertThat(FrameCodec.decode(ByteBuffer.wrap(FrameCodec.encode(f)))).isEqualTo(f);
    }

    @Test
    void frameLengthBelowTheHeaderIsMalformedAtOnce() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0, 4});
        assertMalformed(b, "frame length 4");
    }

    @Test
    void frameLengthAboveOneNoiseMessageIsMalformedBeforeTheBytesArrive() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xee});
        assertMalformed(b, "frame length 65518");
    }

    @Test
    void lyingFrameLengthShorterThanItsFieldsIsMalformed() {
        ByteBuffer b = RawFrames.payload().u64(7).frameWithLength(0x40, 9, 5 + 4);
        MalformedFrameException e = malformed(b);
        assertThat(e.getMessage()).contains("nonce runs past the end");
        assertThat(e.requestId()).isEqualTo(9);
    }

    @Test
    void trailingBytesWithinAFrameAreMalformed() {
        assertMalformed(RawFrames.payload().u64(7).u8(0).frame(0x40, 1), "1 trailing bytes");
        assertMalformed(RawFrames.payload().u8(0).frame(0x01, 1), "1 trailing bytes");
    }

    @Test
    void stringLengthRunningPastTheFrameIsMalformed() {
        assertMalformed(RawFrames.payload().u8(20).bytes(FrameSamples.utf8("short")).frame(0x20, 1), "runs past");
    }

    @Test
    void bodyLengthLyingWithinItsBoundIsMalformed() {
        assertMalformed(RawFrames.payload().u8(1).str8("r").zeros(16).u8(0).u16(50_000).zeros(10).frame(0x30, 1),
                "body runs past");
    }

    @Test
    void lyingListCountIsMalformedBeforeAllocating() {
        assertMalformed(RawFrames.payload().u16(Limits.LIST_COUNT + 1).u8(0).frame(0x28, 1), "at most 10000");
        assertMalformed(RawFrames.payload().u16(9_000).u8(0).frame(0x16, 1), "more than the frame holds");
    }

    @Test
    void undefinedEnumValuesAndFlagsAreMalformed() {
        assertMalformed(RawFrames.payload().u8(3).str8("r").zeros(16).u8(0).u16(0).frame(0x30, 1), "target kind 3");
        assertMalformed(RawFrames.payload().u16(1).str8("r").u8(9).u16(0).u8(0).frame(0x26, 1), "room status 9");
        assertMalformed(RawFrames.payload().u16(1).str8("r").u8(0).u8(0).frame(0x28, 1), "member role 0");
        assertMalformed(RawFrames.payload().u16(0).u8(2).frame(0x28, 1), "more must be 0 or 1");
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[][] bad = {
            {(byte) 0xC0, (byte) 0xAF},                          // overlong '/'
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},             // overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},             // UTF-16 surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, // five-byte form
            {(byte) 0x80},                                       // stray continuation
            {'a', (byte) 0xE2, (byte) 0x82},                     // truncated sequence
        };
        for (byte[] b : bad) {
            assertMalformed(RawFrames.payload().u8(b.length).bytes(b).frame(0x22, 1), "not valid UTF-8");
        }
    }

    @Test
    void validMultiByteUtf8Decodes() throws Exception {
        byte[] ok = FrameSamples.utf8("é€\uD83D\uDE00\u0000");
        Frame f = FrameCodec.decode(RawFrames.payload().u8(ok.length).bytes(ok).frame(0x22, 1));
        assertThat(f).isEqualTo(new RoomFrame.RoomJoin(1, "é€\uD83D\uDE00\u0000"));
    }
}
