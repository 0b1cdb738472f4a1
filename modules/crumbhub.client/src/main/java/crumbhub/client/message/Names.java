package crumbhub.client.message;

import crumbhub.client.ClientException;

import java.util.Locale;
import java.util.regex.Pattern;

/** User and room names (protocol §2): 1–32 of {@code [a-z0-9_.-]}, case-folded here, checked again by the server. */
public final class Names {
    public static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[a-z0-9_.-]{1," + MAX_LENGTH + "}");

    private Names() {}

    /** Folds {@code raw} to lower case and checks it; {@code what} ("user", "room") names it in the error. */
    public static String fold(String raw, String what) {
        String name = raw.toLowerCase(Locale.ROOT);
        if (!VALID.matcher(name).matches()) {
            throw ClientException.usage("invalid " + what + " name '" + printable(raw)
                    + "': use 1 to " + MAX_LENGTH + " characters of a-z, 0-9, '_', '.' and '-'");
        }
        return name;
    }

    /** A room argument: {@code #name} (the {@code #} may be left out on the command line). */
    public static String room(String raw) {
        return fold(raw.startsWith("#") ? raw.substring(1) : raw, "room");
    }

    /** A user argument: {@code name} or {@code @name}. */
    public static String user(String raw) {
        return fold(raw.startsWith("@") ? raw.substring(1) : raw, "user");
    }

    /** Replaces control characters so an argument can be echoed in an error message safely. */
    static String printable(String s) {
        var b = new StringBuilder();
        s.codePoints().limit(40).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
