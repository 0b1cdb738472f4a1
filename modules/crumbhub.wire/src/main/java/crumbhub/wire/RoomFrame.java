package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/** Frames about rooms and their members: ROOM_CREATE to MEMBER_LIST (0x20–0x28). */
public sealed interface RoomFrame extends Frame {

    /** 0x20 ROOM_CREATE, C→S: {@code str8(NAME) room}. */
    record RoomCreate(int requestId, String room) implements RoomFrame {
        public RoomCreate {
            Checks.str(room, Limits.NAME, "room");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_CREATE.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room);
        }

        static RoomCreate read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomCreate(requestId, in.str8(Limits.NAME, "room"));
        }
    }

    /** 0x21 ROOM_INVITE, C→S: {@code str8(NAME) room, str8(NAME) user}. */
    record RoomInvite(int requestId, String room, String user) implements RoomFrame {
        public RoomInvite {
            Checks.str(room, Limits.NAME, "room");
            Checks.str(user, Limits.NAME, "user");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_INVITE.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room).str8(user);
        }

        static RoomInvite read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomInvite(requestId, in.str8(Limits.NAME, "room"), in.str8(Limits.NAME, "user"));
        }
    }

    /** 0x22 ROOM_JOIN, C→S: {@code str8(NAME) room}. */
    record RoomJoin(int requestId, String room) implements RoomFrame {
        public RoomJoin {
            Checks.str(room, Limits.NAME, "room");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_JOIN.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room);
        }

        static RoomJoin read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomJoin(requestId, in.str8(Limits.NAME, "room"));
        }
    }

    /** 0x23 ROOM_LEAVE, C→S: {@code str8(NAME) room}. */
    record RoomLeave(int requestId, String room) implements RoomFrame {
        public RoomLeave {
            Checks.str(room, Limits.NAME, "room");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_LEAVE.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room);
        }

        static RoomLeave read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomLeave(requestId, in.str8(Limits.NAME, "room"));
        }
    }

    /** 0x24 ROOM_KICK, C→S: {@code str8(NAME) room, str8(NAME) user}. */
    record RoomKick(int requestId, String room, String user) implements RoomFrame {
        public RoomKick {
            Checks.str(room, Limits.NAME, "room");
            Checks.str(user, Limits.NAME, "user");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_KICK.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room).str8(user);
        }

        static RoomKick read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomKick(requestId, in.str8(Limits.NAME, "room"), in.str8(Limits.NAME, "user"));
        }
    }

    /** 0x25 ROOM_LIST, C→S: asks for ROOM_LIST_REPLY. */
    record RoomList(int requestId) implements RoomFrame {
        @Override
        public int typeCode() {
            return FrameType.ROOM_LIST.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static RoomList read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new RoomList(requestId);
        }
    }

    /** 0x26 ROOM_LIST_REPLY, S→C: {@code u16 n, n × entry, u8 more}. */
    record RoomListReply(int requestId, List<RoomInfo> rooms, boolean more) implements RoomFrame {
        public RoomListReply(int requestId, List<RoomInfo> rooms, boolean more) {
            this.requestId = requestId;
            this.rooms = List.copyOf(rooms);
            this.more = more;
            Checks.list(this.rooms, FrameCodec.payloadLength(this), "room list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static RoomListReply fitting(int requestId, List<RoomInfo> all) {
            List<RoomInfo> fit = Entries.fitting(all, new RoomListReply(requestId, List.of(), false));
            return new RoomListReply(requestId, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_LIST_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            Entries.writeList(out, rooms, more);
        }

        static RoomListReply read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            int n = in.count16(Limits.LIST_COUNT, RoomInfo.MIN_LENGTH, "rooms");
            List<RoomInfo> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(RoomInfo.read(in));
            }
            return new RoomListReply(requestId, list, in.flag("more"));
        }
    }

    /** 0x27 ROOM_MEMBERS, C→S: {@code str8(NAME) room}. */
    record RoomMembers(int requestId, String room) implements RoomFrame {
        public RoomMembers {
            Checks.str(room, Limits.NAME, "room");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_MEMBERS.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room);
        }

        static RoomMembers read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomMembers(requestId, in.str8(Limits.NAME, "room"));
        }
    }

    /** 0x28 MEMBER_LIST, S→C: {@code u16 n, n × entry, u8 more}. */
    record MemberList(int requestId, List<MemberInfo> members, boolean more) implements RoomFrame {
        public MemberList(int requestId, List<MemberInfo> members, boolean more) {
            this.requestId = requestId;
            this.members = List.copyOf(members);
            this.more = more;
            Checks.list(this.members, FrameCodec.payloadLength(this), "member list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static MemberList fitting(int requestId, List<MemberInfo> all) {
            List<MemberInfo> fit = Entries.fitting(all, new MemberList(requestId, List.of(), false));
            return new MemberList(requestId, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.MEMBER_LIST.code();
        }

        @Override
        public void write(BinaryWriter out) {
            Entries.writeList(out, members, more);
        }

        static MemberList read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            int n = in.count16(Limits.LIST_COUNT, MemberInfo.MIN_LENGTH, "members");
            List<MemberInfo> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(MemberInfo.read(in));
            }
            return new MemberList(requestId, list, in.flag("more"));
        }
    }
}
