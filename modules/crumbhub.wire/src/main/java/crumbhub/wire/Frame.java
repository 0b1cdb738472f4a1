package crumbhub.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A frame of docs/protocol.md §2: one record per frame type, each carrying its {@code requestId}
 * (a u32 held in an int; non-zero for requests, 0 for server pushes). Constructors enforce every
 * field bound, so any Frame that exists can be encoded; a violation is a programming error and
 * throws IllegalArgumentException. Unsigned wire integers are held in Java ints and longs bit for bit.
 *
 * <p>Byte arrays ({@code password}, {@code body}) are held by reference, not copied, so that a
 * message body can be fanned out to many connections without copies: do not change an array after
 * handing it to a frame. {@code toString} never shows a password, a token or a body.
 */
public sealed interface Frame {

    /** The request id: chosen by the client for a request, echoed in the reply, 0 for pushes. */
    int requestId();

    /** The type byte of this frame. */
    default int typeCode() {
        return switch (this) {
            case Ok f -> FrameType.OK.code();
            case Error f -> FrameType.ERROR.code();
            case Register f -> FrameType.REGISTER.code();
            case Login f -> FrameType.LOGIN.code();
            case Resume f -> FrameType.RESUME.code();
            case AuthOk f -> FrameType.AUTH_OK.code();
            case Logout f -> FrameType.LOGOUT.code();
            case Devices f -> FrameType.DEVICES.code();
            case DeviceList f -> FrameType.DEVICE_LIST.code();
            case DeviceRevoke f -> FrameType.DEVICE_REVOKE.code();
            case RoomCreate f -> FrameType.ROOM_CREATE.code();
            case RoomInvite f -> FrameType.ROOM_INVITE.code();
            case RoomJoin f -> FrameType.ROOM_JOIN.code();
            case RoomLeave f -> FrameType.ROOM_LEAVE.code();
            case RoomKick f -> FrameType.ROOM_KICK.code();
            case RoomList f -> FrameType.ROOM_LIST.code();
            case RoomListReply f -> FrameType.ROOM_LIST_REPLY.code();
            case RoomMembers f -> FrameType.ROOM_MEMBERS.code();
            case MemberList f -> FrameType.MEMBER_LIST.code();
            case Send f -> FrameType.SEND.code();
            case SendOk f -> FrameType.SEND_OK.code();
            case Sync f -> FrameType.SYNC.code();
            case SyncDone f -> FrameType.SYNC_DONE.code();
            case Deliver f -> FrameType.DELIVER.code();
            case Ack f -> FrameType.ACK.code();
            case Ping f -> FrameType.PING.code();
            case Pong f -> FrameType.PONG.code();
            case KeysPublish f -> FrameType.KEYS_PUBLISH.code();
            case KeysStatus f -> FrameType.KEYS_STATUS.code();
            case DeviceKeys f -> FrameType.DEVICE_KEYS.code();
            case DeviceKeysReply f -> FrameType.DEVICE_KEYS_REPLY.code();
            case KeyBundles f -> FrameType.KEY_BUNDLES.code();
            case KeyBundlesReply f -> FrameType.KEY_BUNDLES_REPLY.code();
            case SendDevices f -> FrameType.SEND_DEVICES.code();
            case Unknown f -> f.type();
        };
    }

    /** The protocol name of this frame's type, for logs ({@code SEND}, or {@code 0x5a}). */
    default String typeName() {
        return FrameType.describe(typeCode());
    }

    /** 0x01 OK, S→C: the request succeeded. */
    record Ok(int requestId) implements Frame {}

    /** 0x02 ERROR, S→C: {@code str8(CODE) code, str16(TEXT) message}. */
    record Error(int requestId, String code, String message) implements Frame {
        public Error {
            Checks.str(code, Limits.CODE, "error code");
            Checks.str(message, Limits.TEXT, "error message");
        }

        public static Error of(int requestId, ErrorCode code, String message) {
            return new Error(requestId, code.code(), message);
        }

        /** The code as an enum constant; empty for a code this version does not know. */
        public Optional<ErrorCode> errorCode() {
            return ErrorCode.fromCode(code);
        }
    }

    /** 0x10 REGISTER, C→S: {@code str8(NAME) user, bytes8(PASSWORD) password, str8(INVITE) invite, str8(DEVICE_NAME) deviceName}. */
    record Register(int requestId, String user, byte[] password, String invite, String deviceName) implements Frame {
        public Register {
            Checks.str(user, Limits.NAME, "user");
            Checks.bytes(password, Limits.PASSWORD, "password");
            Checks.str(invite, Limits.INVITE, "invite");
            Checks.str(deviceName, Limits.DEVICE_NAME, "device name");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Register r && requestId == r.requestId && user.equals(r.user)
                    && Arrays.equals(password, r.password) && invite.equals(r.invite) && deviceName.equals(r.deviceName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, user, invite, deviceName) * 31 + Arrays.hashCode(password);
        }

        @Override
        public String toString() {
            return "Register[requestId=" + requestId + ", user=" + user + ", password=<redacted>, invite="
                    + (invite.isEmpty() ? "<none>" : "<redacted>") + ", deviceName=" + deviceName + "]";
        }
    }

    /** 0x11 LOGIN, C→S: {@code str8(NAME) user, bytes8(PASSWORD) password, str8(DEVICE_NAME) deviceName}. */
    record Login(int requestId, String user, byte[] password, String deviceName) implements Frame {
        public Login {
            Checks.str(user, Limits.NAME, "user");
            Checks.bytes(password, Limits.PASSWORD, "password");
            Checks.str(deviceName, Limits.DEVICE_NAME, "device name");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Login l && requestId == l.requestId && user.equals(l.user)
                    && Arrays.equals(password, l.password) && deviceName.equals(l.deviceName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, user, deviceName) * 31 + Arrays.hashCode(password);
        }

        @Override
        public String toString() {
            return "Login[requestId=" + requestId + ", user=" + user + ", password=<redacted>, deviceName="
                    + deviceName + "]";
        }
    }

    /** 0x12 RESUME, C→S: {@code str8(NAME) user, u32 deviceId, token}. */
    record Resume(int requestId, String user, int deviceId, DeviceToken token) implements Frame {
        public Resume {
            Checks.str(user, Limits.NAME, "user");
            Objects.requireNonNull(token, "token");
        }
    }

    /** 0x13 AUTH_OK, S→C: {@code str8(NAME) user, u32 deviceId, token}. */
    record AuthOk(int requestId, String user, int deviceId, DeviceToken token) implements Frame {
        public AuthOk {
            Checks.str(user, Limits.NAME, "user");
            Objects.requireNonNull(token, "token");
        }
    }

    /** 0x14 LOGOUT, C→S: revokes the current device. */
    record Logout(int requestId) implements Frame {}

    /** 0x15 DEVICES, C→S: asks for DEVICE_LIST. */
    record Devices(int requestId) implements Frame {}

    /** 0x16 DEVICE_LIST, S→C: {@code u16 n, n × entry, u8 more}; {@code more} says the list was truncated to fit. */
    record DeviceList(int requestId, List<DeviceInfo> devices, boolean more) implements Frame {
        public DeviceList {
            devices = List.copyOf(devices);
            long len = 3;
            for (DeviceInfo d : devices) {
                len += d.encodedLength();
            }
            Checks.list(devices, len, "device list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static DeviceList fitting(int requestId, List<DeviceInfo> all) {
            List<DeviceInfo> fit = new ArrayList<>();
            long len = 3;
            for (DeviceInfo d : all) {
                len += d.encodedLength();
                if (len > Protocol.MAX_FRAME_LENGTH - Protocol.MIN_FRAME_LENGTH || fit.size() == Limits.LIST_COUNT) {
                    break;
                }
                fit.add(d);
            }
            return new DeviceList(requestId, fit, fit.size() < all.size());
        }
    }

    /** 0x17 DEVICE_REVOKE, C→S: {@code u32 deviceId}. */
    record DeviceRevoke(int requestId, int deviceId) implements Frame {}

    /** 0x20 ROOM_CREATE, C→S: {@code str8(NAME) room}. */
    record RoomCreate(int requestId, String room) implements Frame {
        public RoomCreate {
            Checks.str(room, Limits.NAME, "room");
        }
    }

    /** 0x21 ROOM_INVITE, C→S: {@code str8(NAME) room, str8(NAME) user}. */
    record RoomInvite(int requestId, String room, String user) implements Frame {
        public RoomInvite {
            Checks.str(room, Limits.NAME, "room");
            Checks.str(user, Limits.NAME, "user");
        }
    }

    /** 0x22 ROOM_JOIN, C→S: {@code str8(NAME) room}. */
    record RoomJoin(int requestId, String room) implements Frame {
        public RoomJoin {
            Checks.str(room, Limits.NAME, "room");
        }
    }

    /** 0x23 ROOM_LEAVE, C→S: {@code str8(NAME) room}. */
    record RoomLeave(int requestId, String room) implements Frame {
        public RoomLeave {
            Checks.str(room, Limits.NAME, "room");
        }
    }

    /** 0x24 ROOM_KICK, C→S: {@code str8(NAME) room, str8(NAME) user}. */
    record RoomKick(int requestId, String room, String user) implements Frame {
        public RoomKick {
            Checks.str(room, Limits.NAME, "room");
            Checks.str(user, Limits.NAME, "user");
        }
    }

    /** 0x25 ROOM_LIST, C→S: asks for ROOM_LIST_REPLY. */
    record RoomList(int requestId) implements Frame {}

    /** 0x26 ROOM_LIST_REPLY, S→C: {@code u16 n, n × entry, u8 more}. */
    record RoomListReply(int requestId, List<RoomInfo> rooms, boolean more) implements Frame {
        public RoomListReply {
            rooms = List.copyOf(rooms);
            long len = 3;
            for (RoomInfo r : rooms) {
                len += r.encodedLength();
            }
            Checks.list(rooms, len, "room list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static RoomListReply fitting(int requestId, List<RoomInfo> all) {
            List<RoomInfo> fit = new ArrayList<>();
            long len = 3;
            for (RoomInfo r : all) {
                len += r.encodedLength();
                if (len > Protocol.MAX_FRAME_LENGTH - Protocol.MIN_FRAME_LENGTH || fit.size() == Limits.LIST_COUNT) {
                    break;
                }
                fit.add(r);
            }
            return new RoomListReply(requestId, fit, fit.size() < all.size());
        }
    }

    /** 0x27 ROOM_MEMBERS, C→S: {@code str8(NAME) room}. */
    record RoomMembers(int requestId, String room) implements Frame {
        public RoomMembers {
            Checks.str(room, Limits.NAME, "room");
        }
    }

    /** 0x28 MEMBER_LIST, S→C: {@code u16 n, n × entry, u8 more}. */
    record MemberList(int requestId, List<MemberInfo> members, boolean more) implements Frame {
        public MemberList {
            members = List.copyOf(members);
            long len = 3;
            for (MemberInfo m : members) {
                len += m.encodedLength();
            }
            Checks.list(members, len, "member list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static MemberList fitting(int requestId, List<MemberInfo> all) {
            List<MemberInfo> fit = new ArrayList<>();
            long len = 3;
            for (MemberInfo m : all) {
                len += m.encodedLength();
                if (len > Protocol.MAX_FRAME_LENGTH - Protocol.MIN_FRAME_LENGTH || fit.size() == Limits.LIST_COUNT) {
                    break;
                }
                fit.add(m);
            }
            return new MemberList(requestId, fit, fit.size() < all.size());
        }
    }

    /** 0x30 SEND, C→S: {@code u8 kind, str8(NAME) target, id16 messageId, u8 alg, bytes16(BODY) body}. */
    record Send(int requestId, TargetKind kind, String target, MessageId messageId, int alg, byte[] body)
            implements Frame {
        public Send {
            Objects.requireNonNull(kind, "kind");
            Checks.str(target, Limits.NAME, "target");
            Objects.requireNonNull(messageId, "messageId");
            Checks.u8(alg, "alg");
            Checks.bytes(body, Limits.BODY, "body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Send s && requestId == s.requestId && kind == s.kind && target.equals(s.target)
                    && messageId.equals(s.messageId) && alg == s.alg && Arrays.equals(body, s.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, kind, target, messageId, alg) * 31 + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Send[requestId=" + requestId + ", kind=" + kind + ", target=" + target + ", messageId="
                    + messageId + ", alg=" + alg + ", body=<" + body.length + " bytes>]";
        }
    }

    /** 0x31 SEND_OK, S→C: {@code u64 seq, u64 tsMs}. */
    record SendOk(int requestId, long seq, long tsMs) implements Frame {}

    /** 0x32 SYNC, C→S: asks for every undelivered message, then SYNC_DONE. */
    record Sync(int requestId) implements Frame {}

    /** 0x33 SYNC_DONE, S→C: {@code u32 delivered, u64 seq}. */
    record SyncDone(int requestId, int delivered, long seq) implements Frame {}

    /**
     * 0x34 DELIVER, S→C push: {@code u8 kind, str8(NAME) target, str8(NAME) from, u32 fromDevice,
     * u64 seq, u64 tsMs, id16 messageId, u8 alg, bytes16(BODY) body}.
     */
    record Deliver(int requestId, TargetKind kind, String target, String from, int fromDevice, long seq, long tsMs,
                   MessageId messageId, int alg, byte[] body) implements Frame {
        public Deliver {
            Objects.requireNonNull(kind, "kind");
            Checks.str(target, Limits.NAME, "target");
            Checks.str(from, Limits.NAME, "from");
            Objects.requireNonNull(messageId, "messageId");
            Checks.u8(alg, "alg");
            Checks.bytes(body, Limits.BODY, "body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Deliver d && requestId == d.requestId && kind == d.kind && target.equals(d.target)
                    && from.equals(d.from) && fromDevice == d.fromDevice && seq == d.seq && tsMs == d.tsMs
                    && messageId.equals(d.messageId) && alg == d.alg && Arrays.equals(body, d.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, kind, target, from, fromDevice, seq, tsMs, messageId, alg) * 31
                    + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Deliver[requestId=" + requestId + ", kind=" + kind + ", target=" + target + ", from=" + from
                    + ", fromDevice=" + fromDevice + ", seq=" + seq + ", tsMs=" + tsMs + ", messageId=" + messageId
                    + ", alg=" + alg + ", body=<" + body.length + " bytes>]";
        }
    }

    /** 0x35 ACK, C→S: {@code u64 seq}. */
    record Ack(int requestId, long seq) implements Frame {}

    /** 0x40 PING, either direction: {@code u64 nonce}. */
    record Ping(int requestId, long nonce) implements Frame {}

    /** 0x41 PONG, either direction: {@code u64 nonce}, echoing the PING. */
    record Pong(int requestId, long nonce) implements Frame {}

    /** Most payload bytes one frame holds (frameLength minus type and requestId). */
    int MAX_PAYLOAD = Protocol.MAX_FRAME_LENGTH - Protocol.MIN_FRAME_LENGTH;

    /**
     * 0x50 KEYS_PUBLISH, C→S: {@code bytes16(KEY) identity, bytes16(KEY) signedPreKey,
     * bytes16(KEY) kemPreKey, u16 n, n × bytes8(ONE_TIME_KEY) oneTimePreKey}: the device's
     * end-to-end identity and prekeys (docs/protocol.md §6). Answered by KEYS_STATUS.
     */
    record KeysPublish(int requestId, byte[] identity, byte[] signedPreKey, byte[] kemPreKey,
                       List<byte[]> oneTimePreKeys) implements Frame {
        public KeysPublish {
            Checks.bytes(identity, Limits.KEY, "identity");
            Checks.bytes(signedPreKey, Limits.KEY, "signed prekey");
            Checks.bytes(kemPreKey, Limits.KEY, "KEM prekey");
            oneTimePreKeys = List.copyOf(oneTimePreKeys);
            if (oneTimePreKeys.size() > Limits.PREKEYS_PER_UPLOAD) {
                throw new IllegalArgumentException("at most " + Limits.PREKEYS_PER_UPLOAD + " one-time prekeys per upload");
            }
            long len = 2 + identity.length + 2 + signedPreKey.length + 2 + kemPreKey.length + 2;
            for (byte[] k : oneTimePreKeys) {
                Checks.bytes(k, Limits.ONE_TIME_KEY, "one-time prekey");
                len += 1 + k.length;
            }
            Checks.list(oneTimePreKeys, len, "key upload");
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof KeysPublish k) || requestId != k.requestId || !Arrays.equals(identity, k.identity)
                    || !Arrays.equals(signedPreKey, k.signedPreKey) || !Arrays.equals(kemPreKey, k.kemPreKey)
                    || oneTimePreKeys.size() != k.oneTimePreKeys.size()) {
                return false;
            }
            for (int i = 0; i < oneTimePreKeys.size(); i++) {
                if (!Arrays.equals(oneTimePreKeys.get(i), k.oneTimePreKeys.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = Objects.hash(requestId, Arrays.hashCode(identity), Arrays.hashCode(signedPreKey),
                    Arrays.hashCode(kemPreKey));
            for (byte[] k : oneTimePreKeys) {
                h = 31 * h + Arrays.hashCode(k);
            }
            return h;
        }

        @Override
        public String toString() {
            return "KeysPublish[requestId=" + requestId + ", oneTimePreKeys=" + oneTimePreKeys.size() + "]";
        }
    }

    /**
     * 0x51 KEYS_STATUS, S→C: {@code u16 oneTimePreKeys}, the one-time prekeys the server holds for
     * this device. The reply to KEYS_PUBLISH, and a push (id 0) when the pool runs low.
     */
    record KeysStatus(int requestId, int oneTimePreKeys) implements Frame {
        public KeysStatus {
            Checks.u16(oneTimePreKeys, "oneTimePreKeys");
        }
    }

    /** 0x52 DEVICE_KEYS, C→S: {@code u16 n, n × str8(NAME) user}, n ≤ USERS_PER_KEY_REQUEST. */
    record DeviceKeys(int requestId, List<String> users) implements Frame {
        public DeviceKeys {
            users = List.copyOf(users);
            if (users.size() > Limits.USERS_PER_KEY_REQUEST) {
                throw new IllegalArgumentException("at most " + Limits.USERS_PER_KEY_REQUEST + " users per request");
            }
            for (String u : users) {
                Checks.str(u, Limits.NAME, "user");
            }
        }
    }

    /**
     * 0x53 DEVICE_KEYS_REPLY, S→C: {@code u16 n, n × UserDeviceKeys, u8 more}: the requested users
     * in request order; {@code more} says the users after the last one listed did not fit.
     */
    record DeviceKeysReply(int requestId, List<UserDeviceKeys> users, boolean more) implements Frame {
        public DeviceKeysReply {
            users = List.copyOf(users);
            long len = 3;
            for (UserDeviceKeys u : users) {
                len += u.encodedLength();
            }
            Checks.list(users, len, "device key list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static DeviceKeysReply fitting(int requestId, List<UserDeviceKeys> all) {
            List<UserDeviceKeys> fit = new ArrayList<>();
            long len = 3;
            for (UserDeviceKeys u : all) {
                len += u.encodedLength();
                if (len > MAX_PAYLOAD) {
                    break;
                }
                fit.add(u);
            }
            return new DeviceKeysReply(requestId, fit, fit.size() < all.size());
        }
    }

    /**
     * 0x54 KEY_BUNDLES, C→S: {@code str8(NAME) user, u16 n, n × u32 deviceId}, n ≤
     * DEVICES_PER_BUNDLE_REQUEST: a prekey bundle for each named device, each taking one one-time prekey.
     */
    record KeyBundles(int requestId, String user, List<Integer> deviceIds) implements Frame {
        public KeyBundles {
            Checks.str(user, Limits.NAME, "user");
            deviceIds = List.copyOf(deviceIds);
            if (deviceIds.size() > Limits.DEVICES_PER_BUNDLE_REQUEST) {
                throw new IllegalArgumentException("at most " + Limits.DEVICES_PER_BUNDLE_REQUEST + " devices per request");
            }
        }
    }

    /**
     * 0x55 KEY_BUNDLES_REPLY, S→C: {@code str8(NAME) user, u16 n, n × KeyBundle, u8 more}: one bundle
     * per requested device that is active and has published keys, in request order.
     */
    record KeyBundlesReply(int requestId, String user, List<KeyBundle> bundles, boolean more) implements Frame {
        public KeyBundlesReply {
            Checks.str(user, Limits.NAME, "user");
            bundles = List.copyOf(bundles);
            long len = 1 + Utf8.encodedLength(user) + 3;
            for (KeyBundle b : bundles) {
                len += b.encodedLength();
            }
            Checks.list(bundles, len, "bundle list");
        }

        /** A reply with as many leading bundles as fit in one frame; {@code more} if some did not. */
        public static KeyBundlesReply fitting(int requestId, String user, List<KeyBundle> all) {
            List<KeyBundle> fit = new ArrayList<>();
            long len = 1 + Utf8.encodedLength(user) + 3;
            for (KeyBundle b : all) {
                len += b.encodedLength();
                if (len > MAX_PAYLOAD) {
                    break;
                }
                fit.add(b);
            }
            return new KeyBundlesReply(requestId, user, fit, fit.size() < all.size());
        }
    }

    /**
     * 0x56 SEND_DEVICES, C→S: {@code u8 kind, str8(NAME) target, id16 messageId, u8 alg, u16 n,
     * n × DeviceBody}: one ciphertext per recipient device, each delivered to that device only
     * (as a DELIVER with this kind, target, id and alg). Answered by SEND_OK.
     */
    record SendDevices(int requestId, TargetKind kind, String target, MessageId messageId, int alg,
                       List<DeviceBody> entries) implements Frame {
        public SendDevices {
            Objects.requireNonNull(kind, "kind");
            Checks.str(target, Limits.NAME, "target");
            Objects.requireNonNull(messageId, "messageId");
            Checks.u8(alg, "alg");
            entries = List.copyOf(entries);
            long len = fixedLength(target);
            for (DeviceBody e : entries) {
                len += e.encodedLength();
            }
            Checks.list(entries, len, "device entries");
        }

        /** Payload bytes of a SEND_DEVICES to {@code target} before its entries; entries may fill the rest of {@link #MAX_PAYLOAD}. */
        public static int fixedLength(String target) {
            return 1 + 1 + Utf8.encodedLength(target) + Limits.MESSAGE_ID + 1 + 2;
        }

        @Override
        public String toString() {
            return "SendDevices[requestId=" + requestId + ", kind=" + kind + ", target=" + target + ", messageId="
                    + messageId + ", alg=" + alg + ", entries=" + entries.size() + "]";
        }
    }

    /**
     * A frame whose type this version does not define. Decoding skips its payload; the server
     * answers it with {@code ERROR unsupported} and keeps the connection. Encoding writes the type
     * with an empty payload (used by tests and by probes).
     */
    record Unknown(int requestId, int type) implements Frame {
        public Unknown {
            Checks.u8(type, "type");
            if (FrameType.fromCode(type) != null) {
                throw new IllegalArgumentException("type " + FrameType.describe(type) + " is a known type");
            }
        }
    }
}
