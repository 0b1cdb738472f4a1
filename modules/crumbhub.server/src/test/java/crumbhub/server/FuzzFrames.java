package crumbhub.server;

import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.FrameType;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded generators for the fuzz tests: well-formed frames of every kind with hostile but
 * encodable field values (names that exist, do not exist or are invalid; random seqs, ids and
 * bodies; reply types sent as requests; types the protocol does not define), and byte-level
 * mutations of their encodings. Deterministic for a given {@link SplittableRandom}.
 */
final class FuzzFrames {
    /** Names the fuzzed account may meet: its own, another user's, rooms, unknowns and invalid ones. */
    private static final String[] NAMES = {"fuzz", "peer", "r0", "r1", "r2", "r3", "nobody", "Bad Name", "", "..",
            "a-very-long-name-of-thirty-two-c", "\u00e9t\u00e9", "r0"};
    /** Undefined frame types (computed, so new types in the protocol never appear here). */
    private static final int[] UNKNOWN_TYPES = java.util.stream.IntStream.range(0, 256)
            .filter(t -> FrameType.fromCode(t) == null).toArray();

    private FuzzFrames() {}

    static String name(SplittableRandom r) {
        return NAMES[r.nextInt(NAMES.length)];
    }

    /**
     * A name for a message's recipient: never "peer", who never reads, so that what the fuzzer
     * sends is not simply kept for it (the heap check is about leaks, not about stored mail).
     */
    static String recipient(SplittableRandom r) {
        String n = name(r);
        return n.equals("peer") ? "nobody" : n;
    }

    static byte[] bytes(SplittableRandom r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    /**
     * A random frame a client could send: every request type except LOGOUT (which would end the
     * fuzzing device), DEVICE_REVOKE of device ids that never exist, key uploads and to-device
     * messages with random keys and bodies, plus replies and unknown types.
     */
    static Frame frame(SplittableRandom r, int id) {
        return switch (r.nextInt(28)) {
            case 24 -> new KeyFrame.KeysPublish(id, bytes(r, 40), bytes(r, 100), bytes(r, 40),
                    java.util.stream.IntStream.range(0, r.nextInt(4)).mapToObj(i -> bytes(r, 32)).toList());
            case 25 -> new KeyFrame.DeviceKeys(id, java.util.stream.IntStream.range(0, r.nextInt(4))
                    .mapToObj(i -> name(r)).toList());
            case 26 -> new KeyFrame.KeyBundles(id, name(r), java.util.stream.IntStream.range(0, r.nextInt(4))
                    .mapToObj(i -> r.nextInt(5)).toList());
            case 27 -> new MessageFrame.SendDevices(id, r.nextBoolean() ? TargetKind.ROOM : TargetKind.DIRECT, recipient(r),
                    MessageId.fromBytes(fixed(r, 16)), r.nextInt(256), java.util.stream.IntStream.range(0, r.nextInt(4))
                    .mapToObj(i -> new crumbhub.wire.DeviceBody(recipient(r), r.nextInt(5), bytes(r, 200))).toList());
            case 0 -> new AuthFrame.Register(id, name(r), bytes(r, 40), r.nextBoolean() ? "" : "inv-" + r.nextInt(99),
                    "d" + r.nextInt(9));
            case 1 -> new AuthFrame.Login(id, name(r), bytes(r, 40), "d");
            case 2 -> new AuthFrame.Resume(id, name(r), r.nextInt(4), DeviceToken.of(fixed(r, 32)));
            case 3 -> new DeviceFrame.Devices(id);
            case 4 -> new DeviceFrame.DeviceRevoke(id, 1_000 + r.nextInt(1_000_000));
            case 5 -> new RoomFrame.RoomCreate(id, name(r));
            case 6 -> new RoomFrame.RoomInvite(id, name(r), name(r));
            case 7 -> new RoomFrame.RoomJoin(id, name(r));
            case 8 -> new RoomFrame.RoomLeave(id, name(r));
            case 9 -> new RoomFrame.RoomKick(id, name(r), name(r));
            case 10 -> new RoomFrame.RoomList(id);
            case 11 -> new RoomFrame.RoomMembers(id, name(r));
            case 12, 13, 14 -> new MessageFrame.Send(id, r.nextBoolean() ? TargetKind.ROOM : TargetKind.DIRECT,
                    r.nextInt(4) == 0 ? "fuzz" : recipient(r), MessageId.fromBytes(fixed(r, 16)), r.nextInt(256),
                    bytes(r, r.nextInt(20) == 0 ? 60_000 : 300));
            case 15 -> new MessageFrame.Sync(id);
            case 16 -> new MessageFrame.Ack(id, r.nextInt(3) == 0 ? r.nextLong() : r.nextLong(1_000));
            case 17 -> new ControlFrame.Ping(id, r.nextLong());
            case 18 -> new ControlFrame.Pong(id, r.nextLong());
            case 19 -> new Frame.Unknown(id, UNKNOWN_TYPES[r.nextInt(UNKNOWN_TYPES.length)]);
            case 20 -> new ControlFrame.Ok(id);
            case 21 -> ControlFrame.Error.of(id, ErrorCode.values()[r.nextInt(ErrorCode.values().length)], "x");
            case 22 -> new MessageFrame.SendOk(id, r.nextLong(), r.nextLong());
            default -> new MessageFrame.SyncDone(id, r.nextInt(), r.nextLong());
        };
    }

    private static byte[] fixed(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * A copy of {@code encoded} with one to three of: byte changes, a lying length, truncation,
     * extra bytes; never equal to it.
     */
    static byte[] mutate(SplittableRandom r, byte[] encoded) {
        byte[] b = encoded.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    int at = r.nextInt(b.length);
                    b[at] = (byte) r.nextInt(256);
                }
                case 2 -> {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                case 3 -> {
                    int len = r.nextInt(70_000);
                    if (b.length >= 2) {
                        b[0] = (byte) (len >>> 8);
                        b[1] = (byte) len;
                    }
                }
                case 4 -> b = Arrays.copyOf(b, Math.max(1, r.nextInt(b.length + 1)));
                default -> {
                    byte[] extra = bytes(r, 20);
                    byte[] longer = Arrays.copyOf(b, b.length + extra.length);
                    System.arraycopy(extra, 0, longer, b.length, extra.length);
                    b = longer;
                }
            }
        }
        if (Arrays.equals(b, encoded)) {
            b[r.nextInt(b.length)] ^= 1; // a mutation that happened to change nothing
        }
        return b;
    }

    /** Random bytes, sometimes shaped like a frame header (plausible length, a real type). */
    static byte[] garbage(SplittableRandom r) {
        byte[] b = bytes(r, 300);
        if (b.length >= 3 && r.nextBoolean()) {
            int len = 5 + r.nextInt(b.length);
            b[0] = (byte) (len >>> 8);
            b[1] = (byte) len;
            FrameType[] types = FrameType.values();
            b[2] = (byte) types[r.nextInt(types.length)].code();
        }
        return b;
    }

    static byte[] encode(Frame f) {
        return FrameCodec.encode(f);
    }

    /** Concatenated encodings, for one transport message. */
    static byte[] concat(java.util.List<byte[]> parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        var out = ByteBuffer.allocate(n);
        parts.forEach(out::put);
        return out.array();
    }
}
