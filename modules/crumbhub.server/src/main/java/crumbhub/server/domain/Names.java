package crumbhub.server.domain;

import crumbhub.wire.NameRules;
import crumbhub.wire.SafeText;

/**
 * The server's check of user and room names: the rules are {@link NameRules} (docs/protocol.md §2
 * "Names"), shared with the client; this class only turns a refusal into {@link Rejected}
 * ({@link Reason#INVALID_NAME}).
 */
public final class Names {
    /** Longest name in characters (equal to bytes, the alphabet is ASCII). */
    public static final int MAX_LENGTH = NameRules.MAX_LENGTH;

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
        String refusal = NameRules.newUserRefusal(name);
        if (refusal != null) {
            throw new Rejected(Reason.INVALID_NAME, refusal);
        }
        return name;
    }

    /**
     * Checks a device name (free text, up to protocol §2's DEVICE_NAME bytes): it must hold no
     * control or bidirectional-override character ({@link SafeText}), since the name is shown to
     * the account's owner and to the operator.
     */
    public static void device(String name) throws Rejected {
        String refusal = SafeText.refusal(name, "a device name");
        if (refusal != null) {
            throw new Rejected(Reason.INVALID_NAME, refusal);
        }
    }

    /** True if {@code name} is already case-folded and valid as a room or user reference. */
    public static boolean isValid(String name) {
        return NameRules.isValid(name);
    }

    private static String fold(String raw, String what) throws Rejected {
        String name = NameRules.fold(raw);
        if (!NameRules.isValid(name)) {
            throw new Rejected(Reason.INVALID_NAME, "a " + what + " name is " + NameRules.RULE);
        }
        return name;
    }
}
