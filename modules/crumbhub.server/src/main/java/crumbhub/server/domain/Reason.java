package crumbhub.server.domain;

/**
 * Why the domain refused a request. Each reason maps to one stable protocol error code
 * (docs/protocol.md §5); the sentence that goes with it is chosen where the refusal happens.
 */
public enum Reason {
    BAD_CREDENTIALS("bad_credentials"),
    REGISTRATION_CLOSED("registration_closed"),
    INVITE_INVALID("invite_invalid"),
    INVALID_NAME("invalid_name"),
    EXISTS("exists"),
    NOT_FOUND("not_found"),
    FORBIDDEN("forbidden"),
    NOT_MEMBER("not_member"),
    TOO_LARGE("too_large"),
    WRONG_STATE("wrong_state"),
    INVALID_KEY("invalid_key"),
    /** An account's quota is used up (docs/server.md "Quotas"). */
    QUOTA("quota");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The protocol error code, e.g. {@code not_member}. */
    public String code() {
        return code;
    }
}
