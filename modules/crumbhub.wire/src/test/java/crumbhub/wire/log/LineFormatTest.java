package crumbhub.wire.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LineFormatTest {
    private static final Instant TS = Instant.parse("2025-01-02T03:04:05Z");

    @AfterEach
    void reset() {
        LogSettings.format(LogFormat.TEXT);
        LogSettings.threshold(Level.INFO);
    }

    @Test
    void valuesWithSpacesAndQuotesAreQuotedAndParseBack() {
        var line = new StringBuilder("event=x a=");
        Log.appendValue(line, "two words");
        line.append(" b=");
        Log.appendValue(line, "say \"hi\"");
        line.append(" c=plain");
        assertThat(line.toString()).isEqualTo("event=x a=\"two words\" b=\"say \\\"hi\\\"\" c=plain");
        var kv = new LinkedHashMap<String, String>();
        KeyValues.parse(line.toString(), kv::put);
        assertThat(kv).containsExactly(Map.entry("event", "x"), Map.entry("a", "two words"),
                Map.entry("b", "say \"hi\""), Map.entry("c", "plain"));
    }

    @Test
    void jsonFormatTurnsEventFieldsIntoProperties() {
        LogSettings.format(LogFormat.JSON);
        String out = LineLoggerFinder.format(TS, Level.INFO, "crumbhub.server",
                "event=login_failed user_hash=abc addr=\"10.0.0.1\"", null);
        assertThat(out).isEqualTo("{\"ts\":\"2025-01-02T03:04:05Z\",\"level\":\"INFO\",\"logger\":\"crumbhub.server\","
                + "\"event\":\"login_failed\",\"user_hash\":\"abc\",\"addr\":\"10.0.0.1\"}");
    }

    @Test
    void jsonFormatEscapesControlCharactersAndKeepsPlainMessages() {
        LogSettings.format(LogFormat.JSON);
        String out = LineLoggerFinder.format(TS, Level.WARNING, "w", "plain \"text\"\n\u0001", null);
        assertThat(out).isEqualTo("{\"ts\":\"2025-01-02T03:04:05Z\",\"level\":\"WARNING\",\"logger\":\"w\","
                + "\"msg\":\"plain \\\"text\\\"\\n\\u0001\"}");
    }

    @Test
    void textFormatShowsThrowableOnOneLine() {
        String out = LineLoggerFinder.format(TS, Level.ERROR, "c", "event=boom", new IllegalStateException("bad"));
        assertThat(out).isEqualTo("2025-01-02T03:04:05Z ERROR c event=boom error=\"java.lang.IllegalStateException: bad\"");
    }

    @Test
    void loggerPrintsOneLinePerRecordAtOrAboveTheThreshold() {
        var bytes = new ByteArrayOutputStream();
        var logger = new LineLoggerFinder.LineLogger("t", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        LogSettings.threshold(Level.WARNING);
        logger.log(Level.INFO, "event=hidden");
        logger.log(Level.WARNING, "event=shown n={0}", 3);
        LogSettings.threshold(Level.OFF);
        logger.log(Level.ERROR, "event=off");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .singleElement().asString().endsWith(" WARNING t event=shown n=3");
    }

    @Test
    void levelNamesParse() {
        assertThat(LogSettings.parseLevel("debug")).isEqualTo(Level.DEBUG);
        assertThat(LogSettings.parseLevel("WARN")).isEqualTo(Level.WARNING);
        assertThat(LogSettings.parseLevel("off")).isEqualTo(Level.OFF);
        assertThat(LogSettings.parseLevel("loud")).isNull();
    }
}
