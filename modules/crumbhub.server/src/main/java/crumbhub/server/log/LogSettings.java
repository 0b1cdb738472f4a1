package crumbhub.server.log;

import crumbhub.server.config.LogFormat;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Process-wide settings of {@link ServerLoggerFinder}: the line format and the lowest level
 * shown. Main sets them from the options once they are parsed; before that the environment
 * ({@code CRUMBHUB_LOG_FORMAT}, {@code CRUMBHUB_LOG_LEVEL}) decides.
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

    private static LogFormat fromEnvFormat() {
        String v = System.getenv("CRUMBHUB_LOG_FORMAT");
        return v != null && v.equalsIgnoreCase("json") ? LogFormat.JSON : LogFormat.TEXT;
    }

    private static Level fromEnvLevel() {
        String v = System.getenv("CRUMBHUB_LOG_LEVEL");
        if (v == null) {
            return Level.INFO;
        }
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR" -> Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> Level.INFO;
        };
    }
}
