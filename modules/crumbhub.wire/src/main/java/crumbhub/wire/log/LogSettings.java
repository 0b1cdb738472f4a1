package crumbhub.wire.log;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Process-wide settings of {@link LineLoggerFinder}: the line format and the lowest level
 * shown. A program sets them once its options are parsed; before that the environment
 * ({@code CRUMBHUB_LOG_FORMAT}, {@code CRUMBHUB_LOG_LEVEL}) decides. Thread-safe (volatile).
 */
public final class LogSettings {
    private static volatile LogFormat format = fromEnvFormat();
    private static volatile Level threshold = fromEnvLevel();

    private LogSettings() {}

    public static void format(LogFormat f) {
        format = f;
    }

    public static LogFormat format() {
        return format;
    }

    public static Level threshold() {
        return threshold;
    }

    public static void threshold(Level level) {
        threshold = level;
    }

    /**
     * The level named by {@code text} ({@code debug}, {@code info}, {@code warn}, {@code error},
     * {@code off}, any case), or null if it names none.
     */
    public static Level parseLevel(String text) {
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR" -> Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> null;
        };
    }

    private static LogFormat fromEnvFormat() {
        String v = System.getenv("CRUMBHUB_LOG_FORMAT");
        return v != null && v.equalsIgnoreCase("json") ? LogFormat.JSON : LogFormat.TEXT;
    }

    private static Level fromEnvLevel() {
        String v = System.getenv("CRUMBHUB_LOG_LEVEL");
        if (v == null) {
            return Level.INFO;
        }
        Level l = parseLevel(v);
        return l == null ? Level.INFO : l;
    }
}
