package crumbhub.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A token-bucket rate: at most {@code count} events at once, refilled at {@code count} per
 * {@code per}. Written {@code COUNT/DURATION}, like {@code 200/10s} (a burst of 200, 20 a second
 * on average) or {@code 20/1h}.
 */
public record Rate(int count, Duration per) {
    public Rate {
        Objects.requireNonNull(per, "per");
        if (count < 1) {
            throw new IllegalArgumentException("a rate allows at least one event");
        }
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate's period must be positive");
        }
    }

    public static Rate of(int count, Duration per) {
        return new Rate(count, per);
    }

    /** Parses {@code COUNT/DURATION}; {@code what} names the setting in the error. */
    public static Rate parse(String what, String text) throws ConfigException {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1 || !text.substring(0, slash).matches("[0-9]{1,9}")) {
            throw new ConfigException(what + " must be COUNT/DURATION (like 200/10s or 20/1h), got '" + text + "'");
        }
        int count = Integer.parseInt(text.substring(0, slash));
        if (count < 1) {
            throw new ConfigException(what + " must allow at least one, got '" + text + "'");
        }
        return new Rate(count, Durations.parse(what, text.substring(slash + 1)));
    }

    /** Nanoseconds to earn one token. */
    public long nanosPerToken() {
        return Math.max(1, per.toNanos() / count);
    }

    @Override
    public String toString() {
        long s = per.toSeconds();
        String p = per.toMillis() % 1000 != 0 ? per.toMillis() + "ms"
                : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
        return count + "/" + p;
    }
}
