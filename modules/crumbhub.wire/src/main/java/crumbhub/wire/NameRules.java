package crumbhub.wire;

import java.util.Set;

/**
 * The rules for user and room names (docs/protocol.md §2 "Names"): 1–32 characters of
 * {@code [a-z0-9_.-]} once ASCII A–Z are folded to lower case. This is the one copy of the rules:
 * the client checks a name before it sends it, the server checks it again, and each maps a
 * refusal to its own error. Stateless and thread-safe.
 */
public final class NameRules {
    /** Longest name in characters (equal to bytes: the alphabet is ASCII). */
    public static final int MAX_LENGTH = Limits.NAME;

    /** The rule in words, for error messages. */
    public static final String RULE = "1 to " + MAX_LENGTH + " characters of a-z, 0-9, '_', '.' and '-'";

    /** User names an impostor could use to look official; rooms and existing users may still use them. */
    private static final Set<String> RESERVED = Set.of(
            "admin", "administrator", "root", "server", "system", "crumbhub", "sysop", "operator",
            "moderator", "mod", "support", "security", "abuse", "postmaster", "hostmaster",
            "webmaster", "info", "help", "everyone", "all", "here", "channel", "nobody",
            "anonymous", "null", "undefined", "me", "you", "staff", "owner", "bot");

    private NameRules() {}

    /**
     * {@code raw} with ASCII A–Z folded to lower case ({@code ""} for null). Only ASCII is folded:
     * full Unicode folding would map e.g. the Kelvin sign onto 'k'. Returns {@code raw} itself
     * when it has nothing to fold, as the names a client repeats in every request do.
     */
    public static String fold(String raw) {
        if (raw == null) {
            return "";
        }
        int i = 0;
        while (i < raw.length() && !(raw.charAt(i) >= 'A' && raw.charAt(i) <= 'Z')) {
            i++;
        }
        if (i == raw.length()) {
            return raw;
        }
        var out = new StringBuilder(raw.length());
        for (int j = 0; j < raw.length(); j++) {
            char c = raw.charAt(j);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out.toString();
    }

    /** Whether {@code name}, already folded, is a valid user or room name. */
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

    /**
     * Why a new user may not take {@code name} (valid and folded), or null if it may: reserved
     * words, and names starting with {@code -} or {@code .}, which read as command-line flags or
     * hidden files.
     */
    public static String newUserRefusal(String name) {
        if (RESERVED.contains(name)) {
            return "the user name '" + name + "' is reserved";
        }
        char first = name.charAt(0);
        if (first == '-' || first == '.') {
            return "a user name cannot start with '-' or '.'";
        }
        return null;
    }
}
