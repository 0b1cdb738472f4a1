package crumbhub.wire.log;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The runtime image's {@link System.LoggerFinder}: one line per record on stderr, as
 * {@code key=value} text or as a JSON object ({@link LogSettings}). Messages of the form
 * {@code event=… k=v k="quoted v"} (what {@link Log} writes) become JSON fields. A throwable is shown
 * as one line; its stack trace only when DEBUG is enabled. Thread-safe: each line is printed with one call.
 */
public final class LineLoggerFinder extends System.LoggerFinder {
    @Override
    public System.Logger getLogger(String name, Module module) {
        return new LineLogger(name, System.err);
    }

    /** A logger printing to {@code out}. */
    static final class LineLogger implements System.Logger {
        private final String name;
        private final PrintStream out;

        LineLogger(String name, PrintStream out) {
            this.name = name;
            this.out = out;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            Level t = LogSettings.threshold();
            return level != Level.OFF && t != Level.OFF && level.getSeverity() >= t.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                out.println(format(Instant.now(), level, name, msg == null ? "" : msg, thrown));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
                out.println(format(Instant.now(), level, name, msg == null ? "" : msg, null));
            }
        }

        @Override
        public void log(Level level, Supplier<String> supplier) {
            if (isLoggable(level)) {
                log(level, (ResourceBundle) null, supplier.get(), (Throwable) null);
            }
        }
    }

    static String format(Instant ts, Level level, String logger, String msg, Throwable thrown) {
        boolean trace = thrown != null && Level.DEBUG.getSeverity() >= LogSettings.threshold().getSeverity();
        if (LogSettings.format() == LogFormat.JSON) {
            var j = new StringBuilder(128).append("{\"ts\":\"").append(ts).append("\",\"level\":\"")
                    .append(level.getName()).append("\",\"logger\":");
            json(j, logger);
            if (msg.startsWith("event=")) {
                KeyValues.parse(msg, (k, v) -> {
                    j.append(',');
                    json(j, k);
                    j.append(':');
                    json(j, v);
                });
            } else {
                j.append(",\"msg\":");
                json(j, msg);
            }
            if (thrown != null) {
                j.append(",\"error\":");
                json(j, trace ? stackTrace(thrown) : thrown.toString());
            }
            return j.append('}').toString();
        }
        var t = new StringBuilder(128).append(ts).append(' ').append(level.getName()).append(' ')
                .append(logger).append(' ').append(msg);
        if (thrown != null) {
            t.append(" error=");
            Log.appendValue(t, thrown.toString());
            if (trace) {
                t.append(System.lineSeparator()).append(stackTrace(thrown));
            }
        }
        return t.toString();
    }

    private static String stackTrace(Throwable t) {
        var w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().stripTrailing();
    }

    static void json(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
