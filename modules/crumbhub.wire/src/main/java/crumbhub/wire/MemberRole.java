package crumbhub.wire;

/** A room member's role as listed by MEMBER_LIST (docs/protocol.md §2). */
public enum MemberRole {
    OWNER(1),
    MEMBER(2),
    INVITED(3);

    private final int code;

    MemberRole(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The role for a wire value, or null if the value is not defined. */
    public static MemberRole fromCode(int code) {
        return switch (code) {
            case 1 -> OWNER;
            case 2 -> MEMBER;
            case 3 -> INVITED;
            default -> null;
        };
    }
}
