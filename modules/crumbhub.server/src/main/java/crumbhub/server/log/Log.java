package crumbhub.server.log;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Structured events over {@link System.Logger}: {@code event=login_failed user_hash=3f2a… addr=…}.
 * Values with spaces, quotes or {@code =} are quoted. Formatting happens only if the level is
 * enabled. Never pass a password, key, token or message body; users appear as
 * {@link #userHash(String)} where an event concerns a possibly unknown account.
 *
 * <p>Thread-safe.
 */
public final class Log {
    private final System.Logger logger;

    private Log(System.Logger logger) {
        this.logger = logger;
    }

    public static Log get(String name) {
        return new Log(System.getLogger(name));
    }

    public boolean enabled(Level level) {
        return logger.isLoggable(level);
    }

    public void debug(String event, Object... keyValues) {
        log(Level.DEBUG, null, event, keyValues);
    }

    public void info(String event, Object... keyValues) {
        log(Level.INFO, null, event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        log(Level.WARNING, null, event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        log(Level.ERROR, null, event, keyValues);
    }

    /** An unexpected failure; the logger decides whether the stack trace is shown. */
    public void error(Throwable cause, String event, Object... keyValues) {
        log(Level.ERROR, cause, event, keyValues);
    }

    private void log(Level level, Throwable cause, String event, Object[] kv) {
        if (!logger.isLoggable(level)) {
            return;
        }
        var line = new StringBuilder(64).append("event=").append(event);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            line.append(' ').append(kv[i]).append('=');
            appendValue(line, String.valueOf(kv[i + 1]));
        }
        if (cause != null) {
            logger.log(level, line.toString(), cause);
        } else {
            logger.log(level, line.toString());
        }
    }

    static void appendValue(StringBuilder out, String v) {
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ' ' || c == '"' || c == '=' || c < 0x20;
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
                default -> out.append(c < 0x20 ? ' ' : c);
            }
        }
        out.append('"');
    }

    /**
     * A short, stable pseudonym of a user name for logs (first 12 hex digits of SHA-256), so log
     * lines about failed logins do not list which names were tried in clear.
     */
    public static String userHash(String user) {
        try {
            byte[] d = MessageDigest.getInstance(Algorithms.SHA256)
                    .digest(("crumbhub-user:" + user).getBytes(StandardCharsets.UTF_8));
            return Bytes.hex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
