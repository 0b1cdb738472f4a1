package crumbhub.wire.log;

import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * The one logger of every CrumbHub module: structured events over {@link System.Logger},
 * {@code event=login_failed user_hash=3f2a… addr=10.0.0.1 reason="bad password"}.
 *
 * <p>Call shape: {@code LOG.info("event", "key", value, "key", value, …)}. The line is built only
 * if the level is enabled. Values are written as they are when plain, and quoted with {@code "}
 * and {@code \} escaped when empty or holding a space, quote, {@code =} or control character
 * ({@link #appendValue}); {@link LineLoggerFinder} turns such lines into JSON fields.
 *
 * <p>Never pass a password, key, token or message body. As a guard, values under the keys in
 * {@link #SECRET_KEYS} and values that are byte or char arrays are written as
 * {@code <redacted>}. Where an event concerns a possibly unknown account, the program names it
 * by a keyed pseudonym (the server's is in docs/operations.md §12), never in clear.
 *
 * <p>Thread-safe: each event is one call to the underlying logger.
 */
public final class Log {
    /** Keys whose values are never written, whatever the caller passes. */
    static final Set<String> SECRET_KEYS = Set.of("password", "passphrase", "secret", "key", "private_key", "token", "body");
    static final String REDACTED = "<redacted>";

    private final System.Logger logger;

    private Log(System.Logger logger) {
        this.logger = logger;
    }

    /** The logger named {@code name} (by convention the package or class name of the caller). */
    public static Log get(String name) {
        return new Log(System.getLogger(name));
    }

    /** Events over {@code logger}; for tests that capture the lines. */
    static Log get(System.Logger logger) {
        return new Log(logger);
    }

    /** Whether events at {@code level} are written; guards work done only to build a value. */
    public boolean enabled(Level level) {
        return logger.isLoggable(level);
    }

    public void debug(String event, Object... keyValues) {
        log(Level.DEBUG, null, event, keyValues);
    }

    /** A failure expected in normal operation; the logger decides whether the stack trace is shown. */
    public void debug(Throwable cause, String event, Object... keyValues) {
        log(Level.DEBUG, cause, event, keyValues);
    }

    public void info(String event, Object... keyValues) {
        log(Level.INFO, null, event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        log(Level.WARNING, null, event, keyValues);
    }

    /** A failure survived; the logger decides whether the stack trace is shown. */
    public void warn(Throwable cause, String event, Object... keyValues) {
        log(Level.WARNING, cause, event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        log(Level.ERROR, null, event, keyValues);
    }

    /** An unexpected failure; the logger decides whether the stack trace is shown. */
    public void error(Throwable cause, String event, Object... keyValues) {
        log(Level.ERROR, cause, event, keyValues);
    }

    /** An event at a level chosen at run time. */
    public void log(Level level, String event, Object... keyValues) {
        log(level, null, event, keyValues);
    }

    /** An event at a level chosen at run time, with the failure that caused it ({@code cause} may be null). */
    public void log(Level level, Throwable cause, String event, Object... keyValues) {
        if (!logger.isLoggable(level)) {
            return;
        }
        String line = line(event, keyValues);
        if (cause != null) {
            logger.log(level, line, cause);
        } else {
            logger.log(level, line);
        }
    }

    /**
     * {@code event=EVENT k1=v1 k2=v2 …} from alternating keys and values; a trailing key without a
     * value is dropped.
     */
    static String line(String event, Object... kv) {
        var line = new StringBuilder(64).append("event=").append(event);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            String key = String.valueOf(kv[i]);
            Object value = kv[i + 1];
            line.append(' ').append(key).append('=');
            boolean secret = SECRET_KEYS.contains(key) || value instanceof byte[] || value instanceof char[];
            appendValue(line, secret ? REDACTED : String.valueOf(value));
        }
        return line.toString();
    }

    /**
     * Appends {@code v}, quoted and escaped if it is empty or has spaces, quotes, {@code =} or
     * control characters ({@code \n} kept as {@code \n}, the others, and the bidirectional and
     * invisible characters of {@link crumbhub.wire.SafeText}, as a space), so that a value can never
     * forge another key or another line, or reorder what a terminal shows. {@link KeyValues#parse} reads it back.
     */
    static void appendValue(StringBuilder out, String v) {
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ' ' || c == '"' || c == '=' || crumbhub.wire.SafeText.isUnsafe(c);
        }
        if (!quote) {
            out.append(v);
            return;
        }
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(crumbhub.wire.SafeText.isUnsafe(c) ? ' ' : c);
            }
        }
        out.append('"');
    }
}
