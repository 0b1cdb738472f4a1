package crumbhub.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes frames of docs/protocol.md §2:
 * {@code u16 frameLength, u8 type, u32 requestId, payload}. Stateless and thread-safe; does no I/O.
 * Buffers must be big-endian (the ByteBuffer default).
 *
 * <p>{@link #decode} is resumable: it consumes nothing and returns null until a whole frame is in
 * the buffer, so a caller can append bytes and call it again. It rejects a frame length outside
 * 5..65,517 as soon as the two length bytes arrive, checks every field length against its bound
 * before allocating, and rejects trailing bytes, invalid UTF-8 and undefined enum values.
 */
public final class FrameCodec {
    /** Bytes of the u16 frameLength that precedes every frame. */
    public static final int LENGTH_FIELD = 2;
    /** Bytes of type and requestId. */
    static final int HEADER = 5;

    private FrameCodec() {}

    /** Bytes {@link #encode} writes for {@code f}, its length field included (at most 65,519). */
    public static int encodedLength(Frame f) {
        return LENGTH_FIELD + HEADER + payloadLength(f);
    }

    private static int str8(String s) {
        return 1 + Utf8.encodedLength(s);
    }

    private static int payloadLength(Frame f) {
        return switch (f) {
            case Frame.Ok x -> 0;
            case Frame.Error x -> str8(x.code()) + 2 + Utf8.encodedLength(x.message());
            case Frame.Register x -> str8(x.user()) + 1 + x.password().length + str8(x.invite()) + str8(x.deviceName());
            case Frame.Login x -> str8(x.user()) + 1 + x.password().length + str8(x.deviceName());
            case Frame.Resume x -> str8(x.user()) + 4 + Limits.TOKEN;
            case Frame.AuthOk x -> str8(x.user()) + 4 + Limits.TOKEN;
            case Frame.Logout x -> 0;
            case Frame.Devices x -> 0;
            case Frame.DeviceList x -> {
                int n = 3;
                for (DeviceInfo d : x.devices()) {
                    n += d.encodedLength();
                }
                yield n;
            }
            case Frame.DeviceRevoke x -> 4;
            case Frame.RoomCreate x -> str8(x.room());
            case Frame.RoomInvite x -> str8(x.room()) + str8(x.user());
            case Frame.RoomJoin x -> str8(x.room());
            case Frame.RoomLeave x -> str8(x.room());
            case Frame.RoomKick x -> str8(x.room()) + str8(x.user());
            case Frame.RoomList x -> 0;
            case Frame.RoomListReply x -> {
                int n = 3;
                for (RoomInfo r : x.rooms()) {
                    n += r.encodedLength();
                }
                yield n;
            }
            case Frame.RoomMembers x -> str8(x.room());
            case Frame.MemberList x -> {
                int n = 3;
                for (MemberInfo m : x.members()) {
                    n += m.encodedLength();
                }
                yield n;
            }
            case Frame.Send x -> 1 + str8(x.target()) + Limits.MESSAGE_ID + 1 + 2 + x.body().length;
            case Frame.SendOk x -> 16;
            case Frame.Sync x -> 0;
            case Frame.SyncDone x -> 12;
            case Frame.Deliver x -> 1 + str8(x.target()) + str8(x.from()) + 4 + 8 + 8 + Limits.MESSAGE_ID + 1 + 2
                    + x.body().length;
            case Frame.Ack x -> 8;
            case Frame.Ping x -> 8;
            case Frame.Pong x -> 8;
            case Frame.KeysPublish x -> {
                int n = 2 + x.identity().length + 2 + x.signedPreKey().length + 2 + x.kemPreKey().length + 2;
                for (byte[] k : x.oneTimePreKeys()) {
                    n += 1 + k.length;
                }
                yield n;
            }
            case Frame.KeysStatus x -> 2;
            case Frame.DeviceKeys x -> {
                int n = 2;
                for (String u : x.users()) {
                    n += str8(u);
                }
                yield n;
            }
            case Frame.DeviceKeysReply x -> {
                int n = 3;
                for (UserDeviceKeys u : x.users()) {
                    n += u.encodedLength();
                }
                yield n;
            }
            case Frame.KeyBundles x -> str8(x.user()) + 2 + 4 * x.deviceIds().size();
            case Frame.KeyBundlesReply x -> {
                int n = str8(x.user()) + 3;
                for (KeyBundle b : x.bundles()) {
                    n += b.encodedLength();
                }
                yield n;
            }
            case Frame.SendDevices x -> {
                int n = Frame.SendDevices.fixedLength(x.target());
                for (DeviceBody e : x.entries()) {
                    n += e.encodedLength();
                }
                yield n;
            }
            case Frame.Unknown x -> 0;
        };
    }

    /** The encoding of {@code f} in a new array. */
    public static byte[] encode(Frame f) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength(f));
        encode(f, b);
        return b.array();
    }

    /**
     * Writes {@code f} at the buffer's position and advances it.
     *
     * @throws BufferOverflowException if fewer than {@link #encodedLength} bytes remain; nothing is written then
     */
    public static void encode(Frame f, ByteBuffer out) {
        requireBigEndian(out);
        int total = encodedLength(f);
        if (out.remaining() < total) {
            throw new BufferOverflowException();
        }
        out.putShort((short) (total - LENGTH_FIELD));
        out.put((byte) f.typeCode());
        out.putInt(f.requestId());
        switch (f) {
            case Frame.Ok x -> { }
            case Frame.Error x -> {
                putStr8(out, x.code());
                out.putShort((short) Utf8.encodedLength(x.message()));
                Utf8.encode(x.message(), out);
            }
            case Frame.Register x -> {
                putStr8(out, x.user());
                putBytes8(out, x.password());
                putStr8(out, x.invite());
                putStr8(out, x.deviceName());
            }
            case Frame.Login x -> {
                putStr8(out, x.user());
                putBytes8(out, x.password());
                putStr8(out, x.deviceName());
            }
            case Frame.Resume x -> {
                putStr8(out, x.user());
                out.putInt(x.deviceId());
                x.token().writeTo(out);
            }
            case Frame.AuthOk x -> {
                putStr8(out, x.user());
                out.putInt(x.deviceId());
                x.token().writeTo(out);
            }
            case Frame.Logout x -> { }
            case Frame.Devices x -> { }
            case Frame.DeviceList x -> {
                out.putShort((short) x.devices().size());
                for (DeviceInfo d : x.devices()) {
                    out.putInt(d.id());
                    putStr8(out, d.name());
                    out.putLong(d.createdMs());
                    out.putLong(d.lastSeenMs());
                    out.put((byte) (d.current() ? 1 : 0));
                }
                out.put((byte) (x.more() ? 1 : 0));
            }
            case Frame.DeviceRevoke x -> out.putInt(x.deviceId());
            case Frame.RoomCreate x -> putStr8(out, x.room());
            case Frame.RoomInvite x -> {
                putStr8(out, x.room());
                putStr8(out, x.user());
            }
            case Frame.RoomJoin x -> putStr8(out, x.room());
            case Frame.RoomLeave x -> putStr8(out, x.room());
            case Frame.RoomKick x -> {
                putStr8(out, x.room());
                putStr8(out, x.user());
            }
            case Frame.RoomList x -> { }
            case Frame.RoomListReply x -> {
                out.putShort((short) x.rooms().size());
                for (RoomInfo r : x.rooms()) {
                    putStr8(out, r.room());
                    out.put((byte) r.status().code());
                    out.putShort((short) r.members());
                }
                out.put((byte) (x.more() ? 1 : 0));
            }
            case Frame.RoomMembers x -> putStr8(out, x.room());
            case Frame.MemberList x -> {
                out.putShort((short) x.members().size());
                for (MemberInfo m : x.members()) {
                    putStr8(out, m.user());
                    out.put((byte) m.role().code());
                }
                out.put((byte) (x.more() ? 1 : 0));
            }
            case Frame.Send x -> {
                out.put((byte) x.kind().code());
                putStr8(out, x.target());
                putId(out, x.messageId());
                out.put((byte) x.alg());
                out.putShort((short) x.body().length);
                out.put(x.body());
            }
            case Frame.SendOk x -> out.putLong(x.seq()).putLong(x.tsMs());
            case Frame.Sync x -> { }
            case Frame.SyncDone x -> out.putInt(x.delivered()).putLong(x.seq());
            case Frame.Deliver x -> {
                out.put((byte) x.kind().code());
                putStr8(out, x.target());
                putStr8(out, x.from());
                out.putInt(x.fromDevice());
                out.putLong(x.seq());
                out.putLong(x.tsMs());
                putId(out, x.messageId());
                out.put((byte) x.alg());
                out.putShort((short) x.body().length);
                out.put(x.body());
            }
            case Frame.Ack x -> out.putLong(x.seq());
            case Frame.Ping x -> out.putLong(x.nonce());
            case Frame.Pong x -> out.putLong(x.nonce());
            case Frame.KeysPublish x -> {
                putBytes16(out, x.identity());
                putBytes16(out, x.signedPreKey());
                putBytes16(out, x.kemPreKey());
                out.putShort((short) x.oneTimePreKeys().size());
                for (byte[] k : x.oneTimePreKeys()) {
                    putBytes8(out, k);
                }
            }
            case Frame.KeysStatus x -> out.putShort((short) x.oneTimePreKeys());
            case Frame.DeviceKeys x -> {
                out.putShort((short) x.users().size());
                for (String u : x.users()) {
                    putStr8(out, u);
                }
            }
            case Frame.DeviceKeysReply x -> {
                out.putShort((short) x.users().size());
                for (UserDeviceKeys u : x.users()) {
                    putStr8(out, u.user());
                    out.put((byte) u.devices().size());
                    for (DeviceKey d : u.devices()) {
                        out.putInt(d.deviceId());
                        putBytes16(out, d.identity());
                    }
                }
                out.put((byte) (x.more() ? 1 : 0));
            }
            case Frame.KeyBundles x -> {
                putStr8(out, x.user());
                out.putShort((short) x.deviceIds().size());
                for (int id : x.deviceIds()) {
                    out.putInt(id);
                }
            }
            case Frame.KeyBundlesReply x -> {
                putStr8(out, x.user());
                out.putShort((short) x.bundles().size());
                for (KeyBundle b : x.bundles()) {
                    out.putInt(b.deviceId());
                    putBytes16(out, b.identity());
                    putBytes16(out, b.signedPreKey());
                    putBytes16(out, b.kemPreKey());
                    putBytes8(out, b.oneTimePreKey());
                }
                out.put((byte) (x.more() ? 1 : 0));
            }
            case Frame.SendDevices x -> {
                out.put((byte) x.kind().code());
                putStr8(out, x.target());
                putId(out, x.messageId());
                out.put((byte) x.alg());
                out.putShort((short) x.entries().size());
                for (DeviceBody e : x.entries()) {
                    putStr8(out, e.user());
                    out.putInt(e.deviceId());
                    putBytes16(out, e.body());
                }
            }
            case Frame.Unknown x -> { }
        }
    }

    private static void putStr8(ByteBuffer out, String s) {
        out.put((byte) Utf8.encodedLength(s));
        Utf8.encode(s, out);
    }

    private static void putBytes8(ByteBuffer out, byte[] b) {
        out.put((byte) b.length);
        out.put(b);
    }

    private static void putBytes16(ByteBuffer out, byte[] b) {
        out.putShort((short) b.length);
        out.put(b);
    }

    private static void putId(ByteBuffer out, MessageId id) {
        out.putLong(id.high()).putLong(id.low());
    }

    private static void requireBigEndian(ByteBuffer b) {
        if (b.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("frame buffers must be big-endian");
        }
    }

    /**
     * Decodes one frame at the buffer's position. On success the position moves past the frame;
     * when the frame is not complete yet, returns null and leaves the position unchanged.
     *
     * @throws MalformedFrameException if the bytes present already break §2 (the position is then unspecified)
     */
    public static Frame decode(ByteBuffer in) throws MalformedFrameException {
        requireBigEndian(in);
        int pos = in.position();
        int avail = in.remaining();
        if (avail < LENGTH_FIELD) {
            return null;
        }
        int frameLength = in.getShort(pos) & 0xFFFF;
        if (frameLength < Protocol.MIN_FRAME_LENGTH || frameLength > Protocol.MAX_FRAME_LENGTH) {
            int requestId = avail >= LENGTH_FIELD + HEADER ? in.getInt(pos + 3) : 0;
            throw new MalformedFrameException(requestId, "frame length " + frameLength + " is outside "
                    + Protocol.MIN_FRAME_LENGTH + ".." + Protocol.MAX_FRAME_LENGTH);
        }
        if (avail < LENGTH_FIELD + frameLength) {
            return null;
        }
        int type = in.get(pos + 2) & 0xFF;
        int requestId = in.getInt(pos + 3);
        int end = pos + LENGTH_FIELD + frameLength;
        FieldReader r = new FieldReader(in, pos + LENGTH_FIELD + HEADER, end, requestId, type);
        Frame f = parse(FrameType.fromCode(type), type, requestId, r);
        r.requireEnd();
        in.position(end);
        return f;
    }

    private static Frame parse(FrameType t, int type, int id, FieldReader r) throws MalformedFrameException {
        if (t == null) {
            r.skipRest();
            return new Frame.Unknown(id, type);
        }
        return switch (t) {
            case OK -> new Frame.Ok(id);
            case ERROR -> new Frame.Error(id, r.str8(Limits.CODE, "code"), r.str16(Limits.TEXT, "message"));
            case REGISTER -> new Frame.Register(id, r.str8(Limits.NAME, "user"), r.bytes8(Limits.PASSWORD, "password"),
                    r.str8(Limits.INVITE, "invite"), r.str8(Limits.DEVICE_NAME, "deviceName"));
            case LOGIN -> new Frame.Login(id, r.str8(Limits.NAME, "user"), r.bytes8(Limits.PASSWORD, "password"),
                    r.str8(Limits.DEVICE_NAME, "deviceName"));
            case RESUME -> new Frame.Resume(id, r.str8(Limits.NAME, "user"), r.u32("deviceId"), r.token("token"));
            case AUTH_OK -> new Frame.AuthOk(id, r.str8(Limits.NAME, "user"), r.u32("deviceId"), r.token("token"));
            case LOGOUT -> new Frame.Logout(id);
            case DEVICES -> new Frame.Devices(id);
            case DEVICE_LIST -> {
                int n = r.count(DeviceInfo.MIN_LENGTH, "devices");
                List<DeviceInfo> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(new DeviceInfo(r.u32("id"), r.str8(Limits.DEVICE_NAME, "name"), r.u64("createdMs"),
                            r.u64("lastSeenMs"), r.flag("current")));
                }
                yield new Frame.DeviceList(id, list, r.flag("more"));
            }
            case DEVICE_REVOKE -> new Frame.DeviceRevoke(id, r.u32("deviceId"));
            case ROOM_CREATE -> new Frame.RoomCreate(id, r.str8(Limits.NAME, "room"));
            case ROOM_INVITE -> new Frame.RoomInvite(id, r.str8(Limits.NAME, "room"), r.str8(Limits.NAME, "user"));
            case ROOM_JOIN -> new Frame.RoomJoin(id, r.str8(Limits.NAME, "room"));
            case ROOM_LEAVE -> new Frame.RoomLeave(id, r.str8(Limits.NAME, "room"));
            case ROOM_KICK -> new Frame.RoomKick(id, r.str8(Limits.NAME, "room"), r.str8(Limits.NAME, "user"));
            case ROOM_LIST -> new Frame.RoomList(id);
            case ROOM_LIST_REPLY -> {
                int n = r.count(RoomInfo.MIN_LENGTH, "rooms");
                List<RoomInfo> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String room = r.str8(Limits.NAME, "room");
                    int code = r.u8("status");
                    RoomStatus status = RoomStatus.fromCode(code);
                    if (status == null) {
                        throw r.malformed("undefined room status " + code);
                    }
                    list.add(new RoomInfo(room, status, r.u16("members")));
                }
                yield new Frame.RoomListReply(id, list, r.flag("more"));
            }
            case ROOM_MEMBERS -> new Frame.RoomMembers(id, r.str8(Limits.NAME, "room"));
            case MEMBER_LIST -> {
                int n = r.count(MemberInfo.MIN_LENGTH, "members");
                List<MemberInfo> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String user = r.str8(Limits.NAME, "user");
                    int code = r.u8("role");
                    MemberRole role = MemberRole.fromCode(code);
                    if (role == null) {
                        throw r.malformed("undefined member role " + code);
                    }
                    list.add(new MemberInfo(user, role));
                }
                yield new Frame.MemberList(id, list, r.flag("more"));
            }
            case SEND -> new Frame.Send(id, kind(r), r.str8(Limits.NAME, "target"), r.id16("messageId"), r.u8("alg"),
                    r.bytes16(Limits.BODY, "body"));
            case SEND_OK -> new Frame.SendOk(id, r.u64("seq"), r.u64("tsMs"));
            case SYNC -> new Frame.Sync(id);
            case SYNC_DONE -> new Frame.SyncDone(id, r.u32("delivered"), r.u64("seq"));
            case DELIVER -> new Frame.Deliver(id, kind(r), r.str8(Limits.NAME, "target"), r.str8(Limits.NAME, "from"),
                    r.u32("fromDevice"), r.u64("seq"), r.u64("tsMs"), r.id16("messageId"), r.u8("alg"),
                    r.bytes16(Limits.BODY, "body"));
            case ACK -> new Frame.Ack(id, r.u64("seq"));
            case PING -> new Frame.Ping(id, r.u64("nonce"));
            case PONG -> new Frame.Pong(id, r.u64("nonce"));
            case KEYS_PUBLISH -> {
                byte[] identity = r.bytes16(Limits.KEY, "identity");
                byte[] spk = r.bytes16(Limits.KEY, "signedPreKey");
                byte[] kpk = r.bytes16(Limits.KEY, "kemPreKey");
                int n = r.count(1, "oneTimePreKeys");
                if (n > Limits.PREKEYS_PER_UPLOAD) {
                    throw r.malformed("more than " + Limits.PREKEYS_PER_UPLOAD + " one-time prekeys");
                }
                List<byte[]> keys = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(r.bytes8(Limits.ONE_TIME_KEY, "oneTimePreKey"));
                }
                yield new Frame.KeysPublish(id, identity, spk, kpk, keys);
            }
            case KEYS_STATUS -> new Frame.KeysStatus(id, r.u16("oneTimePreKeys"));
            case DEVICE_KEYS -> {
                int n = r.count(1, "users");
                if (n > Limits.USERS_PER_KEY_REQUEST) {
                    throw r.malformed("more than " + Limits.USERS_PER_KEY_REQUEST + " users");
                }
                List<String> users = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    users.add(r.str8(Limits.NAME, "user"));
                }
                yield new Frame.DeviceKeys(id, users);
            }
            case DEVICE_KEYS_REPLY -> {
                int n = r.count(UserDeviceKeys.MIN_LENGTH, "users");
                List<UserDeviceKeys> users = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String user = r.str8(Limits.NAME, "user");
                    int m = r.u8("devices count");
                    if ((long) m * DeviceKey.MIN_LENGTH > r.remaining()) {
                        throw r.malformed("devices claims " + m + " entries, more than the frame holds");
                    }
                    List<DeviceKey> devices = new ArrayList<>(m);
                    for (int j = 0; j < m; j++) {
                        devices.add(new DeviceKey(r.u32("deviceId"), r.bytes16(Limits.KEY, "identity")));
                    }
                    users.add(new UserDeviceKeys(user, devices));
                }
                yield new Frame.DeviceKeysReply(id, users, r.flag("more"));
            }
            case KEY_BUNDLES -> {
                String user = r.str8(Limits.NAME, "user");
                int n = r.count(4, "deviceIds");
                if (n > Limits.DEVICES_PER_BUNDLE_REQUEST) {
                    throw r.malformed("more than " + Limits.DEVICES_PER_BUNDLE_REQUEST + " devices");
                }
                List<Integer> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(r.u32("deviceId"));
                }
                yield new Frame.KeyBundles(id, user, ids);
            }
            case KEY_BUNDLES_REPLY -> {
                String user = r.str8(Limits.NAME, "user");
                int n = r.count(KeyBundle.MIN_LENGTH, "bundles");
                List<KeyBundle> bundles = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    bundles.add(new KeyBundle(r.u32("deviceId"), r.bytes16(Limits.KEY, "identity"),
                            r.bytes16(Limits.KEY, "signedPreKey"), r.bytes16(Limits.KEY, "kemPreKey"),
                            r.bytes8(Limits.ONE_TIME_KEY, "oneTimePreKey")));
                }
                yield new Frame.KeyBundlesReply(id, user, bundles, r.flag("more"));
            }
            case SEND_DEVICES -> {
                TargetKind kind = kind(r);
                String target = r.str8(Limits.NAME, "target");
                MessageId messageId = r.id16("messageId");
                int alg = r.u8("alg");
                int n = r.count(DeviceBody.MIN_LENGTH, "entries");
                List<DeviceBody> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(new DeviceBody(r.str8(Limits.NAME, "user"), r.u32("deviceId"),
                            r.bytes16(Limits.BODY, "body")));
                }
                yield new Frame.SendDevices(id, kind, target, messageId, alg, entries);
            }
        };
    }

    private static TargetKind kind(FieldReader r) throws MalformedFrameException {
        int code = r.u8("kind");
        TargetKind k = TargetKind.fromCode(code);
        if (k == null) {
            throw r.malformed("undefined target kind " + code);
        }
        return k;
    }
}
