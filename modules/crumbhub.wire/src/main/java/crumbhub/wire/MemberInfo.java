package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Objects;

/** One entry of MEMBER_LIST: {@code str8(NAME) user, u8 role}. */
public record MemberInfo(String user, MemberRole role) implements Entries.Entry {
    public MemberInfo {
        Checks.str(user, Limits.NAME, "user");
        Objects.requireNonNull(role, "role");
    }

    /** Smallest entry on the wire (empty name); the decoder's plausibility bound. */
    static final int MIN_LENGTH = Entries.length(new MemberInfo("", MemberRole.MEMBER));

    @Override
    public void write(BinaryWriter out) {
        out.str8(user).u8(role.code());
    }

    static MemberInfo read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        String user = in.str8(Limits.NAME, "user");
        int code = in.u8("role");
        MemberRole role = MemberRole.fromCode(code);
        if (role == null) {
            throw in.malformed("undefined member role " + code);
        }
        return new MemberInfo(user, role);
    }
}
