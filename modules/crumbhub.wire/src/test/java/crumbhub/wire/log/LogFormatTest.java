package crumbhub.wire.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    @AfterEach
    void reset() {
        LogSettings.threshold(Level.INFO);
    }

    @Test
    void eventLinesQuoteEveryValueTheSameWayAndParseBack() {
        String line = Log.line("store_opened", "dir", "/var/lib/crumb hub", "next_seq", 42, "empty", "",
                "forged", "x other=1\nevent=fake");
        assertThat(line).isEqualTo("event=store_opened dir=\"/var/lib/crumb hub\" next_seq=42 empty=\"\""
                + " forged=\"x other=1\\nevent=fake\"");
        var kv = new LinkedHashMap<String, String>();
        KeyValues.parse(line, kv::put);
        assertThat(kv).containsExactly(Map.entry("event", "store_opened"), Map.entry("dir", "/var/lib/crumb hub"),
                Map.entry("next_seq", "42"), Map.entry("empty", ""), Map.entry("forged", "x other=1\nevent=fake"));
    }

    @Test
    void terminalEscapesAndBidiOverridesInValuesAreBlanked() {
        String line = Log.line("registered", "device", "ph\u001b[2Jone\u202Eevil");
        assertThat(line).isEqualTo("event=registered device=\"ph [2Jone evil\"");
    }

    @Test
    void secretKeysAndRawBytesAreNeverWritten() {
        String line = Log.line("oops", "password", "hunter2", "key", "k", "body", "hello", "raw", new byte[] {1, 2},
                "chars", "pw".toCharArray(), "user", "alice");
        assertThat(line).isEqualTo("event=oops password=<redacted> key=<redacted> body=<redacted> raw=<redacted>"
                + " chars=<redacted> user=alice");
    }

    @Test
    void aDisabledLevelNeverFormatsItsValues() {
        var bytes = new ByteArrayOutputStream();
        var log = Log.get(new LineLoggerFinder.LineLogger("t", new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        LogSettings.threshold(Level.WARNING);
        Object explodes = new Object() {
            @Override
            public String toString() {
                throw new AssertionError("formatted a value of a disabled level");
            }
        };
        log.info("hidden", "v", explodes);
        log.debug(new IllegalStateException("x"), "hidden", "v", explodes);
        log.warn("shown", "n", 3, "who", "a b");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .singleElement().asString().endsWith(" WARNING t event=shown n=3 who=\"a b\"");
    }
}
