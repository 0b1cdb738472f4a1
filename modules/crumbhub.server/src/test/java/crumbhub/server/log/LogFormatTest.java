package crumbhub.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.LogFormat;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    @AfterEach
    void reset() {
        LogSettings.format(LogFormat.TEXT);
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
        assertThat(kv).containsExactly(java.util.Map.entry("event", "x"), java.util.Map.entry("a", "two words"),
                java.util.Map.entry("b", "say \"hi\""), java.util.Map.entry("c", "plain"));
    }

    @Test
    void jsonFormatTurnsEventFieldsIntoProperties() {
        LogSettings.format(LogFormat.JSON);
        String out = ServerLoggerFinder.format(Instant.parse("2025-01-02T03:04:05Z"), Level.INFO, "crumbhub.server",
                "event=login_failed user_hash=abc addr=\"10.0.0.1\"", null);
        assertThat(out).isEqualTo("{\"ts\":\"2025-01-02T03:04:05Z\",\"level\":\"INFO\",\"logger\":\"crumbhub.server\","
                + "\"event\":\"login_failed\",\"user_hash\":\"abc\",\"addr\":\"10.0.0.1\"}");
    }

    @Test
    void textFormatShowsThrowableOnOneLine() {
        String out = ServerLoggerFinder.format(Instant.parse("2025-01-02T03:04:05Z"), Level.ERROR, "c",
                "event=boom", new IllegalStateException("bad"));
        assertThat(out).isEqualTo("2025-01-02T03:04:05Z ERROR c event=boom error=\"java.lang.IllegalStateException: bad\"");
    }

    @Test
    void userHashIsStableShortAndNotTheName() {
        assertThat(Log.userHash("alice")).hasSize(12).isEqualTo(Log.userHash("alice")).isNotEqualTo(Log.userHash("bob"));
    }
}
