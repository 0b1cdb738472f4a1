package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Objects;

/** One entry of ROOM_LIST_REPLY: {@code str8(NAME) room, u8 status, u16 members}. */
public record RoomInfo(String room, RoomStatus status, int members) implements Entries.Entry {
    public RoomInfo {
        Checks.str(room, Limits.NAME, "room");
        Objects.requireNonNull(status, "status");
        Checks.u16(members, "members");
    }

    /** Smallest entry on the wire (empty name); the decoder's plausibility bound. */
    static final int MIN_LENGTH = Entries.length(new RoomInfo("", RoomStatus.MEMBER, 0));

    @Override
    public void write(BinaryWriter out) {
        out.str8(room).u8(status.code()).u16(members);
    }

    static RoomInfo read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        String room = in.str8(Limits.NAME, "room");
        int code = in.u8("status");
        RoomStatus status = RoomStatus.fromCode(code);
        if (status == null) {
            throw in.malformed("undefined room status " + code);
        }
        return new RoomInfo(room, status, in.u16("members"));
    }
}
