package crumbhub.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds frames byte by byte, so tests can write what no encoder would. */
final class RawFrames {
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    static RawFrames payload() {
        return new RawFrames();
    }

    RawFrames u8(int v) {
        payload.write(v);
        return this;
    }

    RawFrames u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    RawFrames u32(int v) {
        return u16(v >>> 16).u16(v & 0xFFFF);
    }

    RawFrames u64(long v) {
        return u32((int) (v >>> 32)).u32((int) v);
    }

    RawFrames bytes(byte[] b) {
        payload.writeBytes(b);
        return this;
    }

    RawFrames zeros(int n) {
        return bytes(new byte[n]);
    }

    RawFrames str8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u8(b.length).bytes(b);
    }

    /** A frame whose frameLength is right for this payload. */
    ByteBuffer frame(int type, int requestId) {
        return frameWithLength(type, requestId, 5 + payload.size());
    }

    /** A frame whose frameLength field says {@code frameLength}, whatever the payload's size. */
    ByteBuffer frameWithLength(int type, int requestId, int frameLength) {
        byte[] p = payload.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(7 + p.length);
        b.putShort((short) frameLength).put((byte) type).putInt(requestId).put(p).flip();
        return b;
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
