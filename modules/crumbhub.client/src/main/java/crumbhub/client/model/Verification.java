package crumbhub.client.model;

/** What the user knows about the identity keys behind a conversation (docs/design.md §5, verification). */
public enum Verification {
    /** Nothing to show (the status window, or the session has not said). */
    NONE,
    /** Keys pinned on first use but not compared with the peer. */
    UNVERIFIED,
    /** The user compared safety numbers and confirmed them. */
    VERIFIED,
    /** An identity key changed since it was pinned or verified: shown loudly. */
    CHANGED
}
