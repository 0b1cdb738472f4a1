package crumbhub.client.message;

import crumbhub.client.ClientException;
import crumbhub.wire.NameRules;

/**
 * User and room names given on the command line: the rules are {@link NameRules} (docs/protocol.md
 * §2 "Names"), checked again by the server; this class strips the {@code #}/{@code @} prefix and
 * turns a refusal into a usage error.
 */
public final class Names {
    public static final int MAX_LENGTH = NameRules.MAX_LENGTH;

    private Names() {}

    /** Folds {@code raw} to lower case and checks it; {@code what} ("user", "room") names it in the error. */
    public static String fold(String raw, String what) {
        String name = NameRules.fold(raw);
        if (!NameRules.isValid(name)) {
            throw ClientException.usage("invalid " + what + " name '" + printable(raw) + "': use " + NameRules.RULE);
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
