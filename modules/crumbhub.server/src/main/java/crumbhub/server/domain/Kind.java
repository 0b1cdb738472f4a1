package crumbhub.server.domain;

/** What a message is addressed to (docs/protocol.md §2, field {@code kind}). */
public enum Kind {
    /** {@code target} is a room name. */
    ROOM(1),
    /** {@code target} is the peer's user name, as the sender addressed it. */
    DIRECT(2);

    private final int code;

    Kind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind with this wire code, or null if there is none. */
    public static Kind ofCode(int code) {
        return switch (code) {
            case 1 -> ROOM;
            case 2 -> DIRECT;
            default -> null;
        };
    }
}
