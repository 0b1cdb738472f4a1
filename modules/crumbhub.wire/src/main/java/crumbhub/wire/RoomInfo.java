package crumbhub.wire;

import java.util.Objects;

/** One entry of ROOM_LIST_REPLY: {@code str8(NAME) room, u8 status, u16 members}. */
public record RoomInfo(String room, RoomStatus status, int members) {
    /** Smallest entry on the wire (empty name); the decoder's plausibility bound. */
    static final int MIN_LENGTH = 4;

    public RoomInfo {
        Checks.str(room, Limits.NAME, "room");
        Objects.requireNonNull(status, "status");
        Checks.u16(members, "members");
    }

    int encodedLength() {
        return 1 + Utf8.encodedLength(room) + 1 + 2;
    }
}
