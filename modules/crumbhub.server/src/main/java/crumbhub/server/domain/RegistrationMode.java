package crumbhub.server.domain;

import java.util.Locale;

/** Who may create an account (docs/design.md §4). */
public enum RegistrationMode {
    OPEN, INVITE, CLOSED;

    /** Parses {@code open}, {@code invite} or {@code closed} in any case; null if none matches. */
    public static RegistrationMode parse(String s) {
        return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
            case "open" -> OPEN;
            case "invite" -> INVITE;
            case "closed" -> CLOSED;
            default -> null;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
