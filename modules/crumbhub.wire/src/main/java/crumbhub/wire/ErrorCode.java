package crumbhub.wire;

import java.util.Optional;

/** The stable codes an {@code ERROR} frame carries (docs/protocol.md §5). Their strings never change. */
public enum ErrorCode {
    MALFORMED("malformed"),
    UNSUPPORTED("unsupported"),
    UNAUTHORIZED("unauthorized"),
    BAD_CREDENTIALS("bad_credentials"),
    THROTTLED("throttled"),
    REGISTRATION_CLOSED("registration_closed"),
    INVITE_INVALID("invite_invalid"),
    INVALID_NAME("invalid_name"),
    EXISTS("exists"),
    NOT_FOUND("not_found"),
    FORBIDDEN("forbidden"),
    NOT_MEMBER("not_member"),
    TOO_LARGE("too_large"),
    STORAGE("storage"),
    WRONG_STATE("wrong_state"),
    /** An end-to-end key or its signature does not verify. */
    INVALID_KEY("invalid_key"),
    /** One of the account's quotas is used up (a full mailbox, too much waiting, too many rooms). */
    QUOTA("quota"),
    INTERNAL("internal");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The code as sent on the wire. */
    public String code() {
        return code;
    }

    /** The enum constant for a wire code; empty for a code this version does not know. */
    public static Optional<ErrorCode> fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return code;
    }
}
