package crumbhub.server.config;

import crumbhub.wire.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits against a patient user with an account or a stranger guessing (docs/security.md "Limits
 * and failure behaviour"; docs/operations.md §3 lists each setting and its default). Kept apart
 * from {@link LimitOptions}, which bounds floods of connections and requests.
 *
 * @param passwordMinLength    characters (Unicode code points) a new password needs at least; never
 *                             below {@link #PASSWORD_FLOOR}, which the client checks before sending
 * @param strangerLookups      DEVICE_KEYS lookups of users who share no room or conversation with
 *                             the requester, per requesting account (each user named counts one)
 * @param bundlesPerRequester  one-time prekeys one account may take from others' devices
 * @param bundlesPerTarget     one-time prekeys anyone may take from one device; beyond it a
 *                             bundle comes without one (the signed prekeys keep sessions possible)
 */
public record AbuseLimits(int passwordMinLength, Rate strangerLookups, Rate bundlesPerRequester, Rate bundlesPerTarget) {
    /** The lowest minimum password length a server may set (NIST SP 800-63B's minimum). */
    public static final int PASSWORD_FLOOR = Limits.PASSWORD_MIN;

    public AbuseLimits {
        Objects.requireNonNull(strangerLookups, "strangerLookups");
        Objects.requireNonNull(bundlesPerRequester, "bundlesPerRequester");
        Objects.requireNonNull(bundlesPerTarget, "bundlesPerTarget");
        if (passwordMinLength < PASSWORD_FLOOR || passwordMinLength > Limits.PASSWORD) {
            throw new IllegalArgumentException("passwordMinLength must be " + PASSWORD_FLOOR + ".." + Limits.PASSWORD);
        }
    }

    /** What an operator gets without configuration. */
    public static AbuseLimits defaults() {
        return new AbuseLimits(PASSWORD_FLOOR, Rate.of(30, Duration.ofHours(1)), Rate.of(200, Duration.ofHours(1)),
                Rate.of(20, Duration.ofHours(1)));
    }

    /** Limits so wide that load and fuzz tests never meet them (the password floor stays); tests only. */
    public static AbuseLimits unlimited() {
        Rate wide = Rate.of(1_000_000_000, Duration.ofSeconds(1));
        return new AbuseLimits(PASSWORD_FLOOR, wide, wide, wide);
    }

    public AbuseLimits withPasswordMinLength(int v) {
        return new AbuseLimits(v, strangerLookups, bundlesPerRequester, bundlesPerTarget);
    }

    public AbuseLimits withStrangerLookups(Rate v) {
        return new AbuseLimits(passwordMinLength, v, bundlesPerRequester, bundlesPerTarget);
    }

    public AbuseLimits withBundles(Rate perRequester, Rate perTarget) {
        return new AbuseLimits(passwordMinLength, strangerLookups, perRequester, perTarget);
    }
}
