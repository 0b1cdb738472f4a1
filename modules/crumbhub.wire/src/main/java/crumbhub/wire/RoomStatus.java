package crumbhub.wire;

/** A user's standing in a room as listed by ROOM_LIST_REPLY (docs/protocol.md §2). */
public enum RoomStatus {
    MEMBER(1),
    INVITED(2);

    private final int code;

    RoomStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status for a wire value, or null if the value is not defined. */
    public static RoomStatus fromCode(int code) {
        return switch (code) {
            case 1 -> MEMBER;
            case 2 -> INVITED;
            default -> null;
        };
    }
}
