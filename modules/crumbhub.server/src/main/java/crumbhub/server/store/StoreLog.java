package crumbhub.server.store;

import java.lang.System.Logger.Level;

/**
 * Structured log events of the store ({@code event=store_… key=value …}) over
 * {@link System.Logger}. Never logs record or snapshot contents, only files, offsets and counts.
 */
final class StoreLog {

    private static final System.Logger LOGGER = System.getLogger("crumbhub.server.store");

    private StoreLog() {
    }

    /** Logs {@code event} with alternating keys and values. */
    static void log(Level level, String event, Object... keyValues) {
        if (LOGGER.isLoggable(level)) {
            LOGGER.log(level, format(event, keyValues));
        }
    }

    /** Like {@link #log(Level, String, Object...)} with the failure that caused the event. */
    static void log(Level level, Throwable failure, String event, Object... keyValues) {
        if (LOGGER.isLoggable(level)) {
            LOGGER.log(level, format(event, keyValues), failure);
        }
    }

    private static String format(String event, Object... keyValues) {
        var line = new StringBuilder("event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        return line.toString();
    }
}
