package crumbhub.server.domain;

import java.util.Set;

/**
 * Rules for user and room names (docs/protocol.md §2 "Names"): 1–32 characters of
 * {@code [a-z0-9_.-]}, case-folded. User names additionally may not be reserved words,
 * which an impostor could use to look official, and may not start with {@code -} or
 * {@code .}, which read as command-line flags or hidden files.
 */
public final class Names {
    /** Longest name in characters (equal to bytes, the alphabet is ASCII). */
    public static final int MAX_LENGTH = 32;

    private static final Set<String> RESERVED = Set.of(
            "admin", "administrator", "root", "server", "system", "crumbhub", "sysop", "operator",
            "moderator", "mod", "support", "security", "abuse", "postmaster", "hostmaster",
            "webmaster", "info", "help", "everyone", "all", "here", "channel", "nobody",
            "anonymous", "null", "undefined", "me", "you", "staff", "owner", "bot");

    private Names() {}

    /** The case-folded form of {@code raw} if it is a valid room name. */
    public static String room(String raw) throws Rejected {
        return fold(raw, "room");
    }

    /** The case-folded form of {@code raw} if it is a valid existing-user reference (no reserved check). */
    public static String userRef(String raw) throws Rejected {
        return fold(raw, "user");
    }

    /** The case-folded form of {@code raw} if a new user may take it. */
    public static String newUser(String raw) throws Rejected {
        String name = fold(raw, "user");
        if (RESERVED.contains(name)) {
            throw new Rejected(Reason.INVALID_NAME, "the user name '" + name + "' is reserved");
        }
        char first = name.charAt(0);
        if (first == '-' || first == '.') {
            throw new Rejected(Reason.INVALID_NAME, "a user name cannot start with '-' or '.'");
        }
        return name;
    }

    /** True if {@code name} is already case-folded and valid as a room or user reference. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Folds only ASCII A-Z: full Unicode folding would map e.g. the Kelvin sign onto 'k'. */
    private static String foldAscii(String raw) {
        int i = 0;
        while (i < raw.length() && !(raw.charAt(i) >= 'A' && raw.charAt(i) <= 'Z')) {
            i++;
        }
        if (i == raw.length()) {
            return raw; // already folded, as the names a client repeats in every request are
        }
        var out = new StringBuilder(raw.length());
        for (int j = 0; j < raw.length(); j++) {
            char c = raw.charAt(j);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out.toString();
    }

    private static String fold(String raw, String what) throws Rejected {
        String name = raw == null ? "" : foldAscii(raw);
        if (!isValid(name)) {
            throw new Rejected(Reason.INVALID_NAME,
                    "a " + what + " name is 1 to 32 characters of a-z, 0-9, '_', '.' and '-'");
        }
        return name;
    }
}
