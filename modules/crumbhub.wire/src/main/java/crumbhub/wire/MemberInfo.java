package crumbhub.wire;

import java.util.Objects;

/** One entry of MEMBER_LIST: {@code str8(NAME) user, u8 role}. */
public record MemberInfo(String user, MemberRole role) {
    /** Smallest entry on the wire (empty name); the decoder's plausibility bound. */
    static final int MIN_LENGTH = 2;

    public MemberInfo {
        Checks.str(user, Limits.NAME, "user");
        Objects.requireNonNull(role, "role");
    }

    int encodedLength() {
        return 1 + Utf8.encodedLength(user) + 1;
    }
}
