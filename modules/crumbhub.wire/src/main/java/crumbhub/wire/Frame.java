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
