package crumbhub.testkit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The logging of test JVMs, so that a build prints test results rather than ~1,800 log lines.
 * Surefire names this class in {@code java.util.logging.config.class} (root pom), and
 * {@link java.util.logging.LogManager} constructs it once, before the first record.
 *
 * <ul>
 *   <li>Every record at INFO and above goes to a file in the directory named by the system
 *       property {@code crumbhub.test.log.dir} ({@code target/test-logs/tests-N.log}), one line
 *       a record plus the stack trace of a throwable: look there when a test fails.
 *   <li>The console shows records at the level named by {@code crumbhub.test.log}
 *       ({@code off} by default; {@code mvn -Dcrumbhub.test.log=info …} brings back the old
 *       output, {@code debug} shows more, in the file too).
 * </ul>
 *
 * Test failures are reported by surefire either way; only log records are kept off the console.
 */
public final class TestLogs {
    /** The system property naming the console level: off, error, warning, info, debug or all. */
    public static final String LEVEL_PROPERTY = "crumbhub.test.log";
    /** The system property naming the directory of the log files; without it there is no file. */
    public static final String DIR_PROPERTY = "crumbhub.test.log.dir";

    /** Configures the root logger; called by {@link java.util.logging.LogManager} through reflection. */
    public TestLogs() {
        Level console = level(System.getProperty(LEVEL_PROPERTY, "off"));
        Level file = console.intValue() < Level.INFO.intValue() ? console : Level.INFO;
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        var lines = new OneLine();
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null) {
            try {
                Files.createDirectories(Path.of(dir));
                var out = new FileHandler(Path.of(dir, "tests-%u.log").toString(), false);
                out.setLevel(file);
                out.setFormatter(lines);
                root.addHandler(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the test log in " + dir, e);
            }
        }
        if (console != Level.OFF) {
            var err = new ConsoleHandler();
            err.setLevel(console);
            err.setFormatter(lines);
            root.addHandler(err);
        }
        root.setLevel(dir != null ? min(file, console) : console);
    }

    /** The JUL level named like {@code CRUMBHUB_LOG_LEVEL}: off, error, warn(ing), info, debug, trace, all. */
    static Level level(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false", "" -> Level.OFF;
            case "error" -> Level.SEVERE;
            case "warn", "warning" -> Level.WARNING;
            case "info", "true" -> Level.INFO;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINER;
            case "all" -> Level.ALL;
            default -> throw new IllegalArgumentException(LEVEL_PROPERTY + "=" + name
                    + ": expected off, error, warning, info, debug, trace or all");
        };
    }

    private static Level min(Level a, Level b) {
        return a.intValue() <= b.intValue() ? a : b;
    }

    /** {@code 2025-01-02T03:04:05.123Z INFO logger event=… k=v}, then the stack trace if any. */
    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            var line = new StringBuilder(128).append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                    .append(r.getLevel().getName()).append(' ').append(r.getLoggerName()).append(' ')
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                var trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
