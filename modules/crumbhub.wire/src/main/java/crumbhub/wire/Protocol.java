package crumbhub.wire;

/** Protocol-wide constants. */
public final class Protocol {
    /** Noise prologue; both sides must use it or the handshake fails. */
    public static final String PROLOGUE = "CrumbHub/1";
    public static final int DEFAULT_PORT = 5555;

    private Protocol() {}
}
