package crumbhub.server.config;

import java.time.Duration;

/** Parses operator durations such as {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}. */
public final class Durations {
    private Durations() {}

    public static Duration parse(String what, String text) throws ConfigException {
        if (text == null || !text.matches("[0-9]{1,9}[smhdw]")) {
            throw new ConfigException(what + " must be a number followed by s, m, h, d or w (like 7d), got '"
                    + text + "'");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        Duration d = switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        if (d.isZero()) {
            throw new ConfigException(what + " must be longer than zero");
        }
        return d;
    }
}
