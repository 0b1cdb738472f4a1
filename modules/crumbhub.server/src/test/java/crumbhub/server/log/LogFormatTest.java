package crumbhub.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogFormatTest {
    @Test
    void valuesWithSpacesAndQuotesAreQuoted() {
        var line = new StringBuilder("event=x a=");
        Log.appendValue(line, "two words");
        line.append(" b=");
        Log.appendValue(line, "say \"hi\"");
        line.append(" c=plain");
        assertThat(line.toString()).isEqualTo("event=x a=\"two words\" b=\"say \\\"hi\\\"\" c=plain");
    }

    @Test
    void userHashIsStableShortAndNotTheName() {
        assertThat(Log.userHash("alice")).hasSize(12).isEqualTo(Log.userHash("alice")).isNotEqualTo(Log.userHash("bob"));
    }
}
