package crumbhub.client.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(Json.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void everyControlCharacterIsEscaped() {
        for (char c = 0; c < 0x20; c++) {
            String q = Json.quote(String.valueOf(c));
            assertThat(q).as("char %d", (int) c).startsWith("\"\\").hasSizeGreaterThan(3);
            assertThat(q.chars().skip(1).limit(q.length() - 2).allMatch(ch -> ch >= 0x20)).isTrue();
        }
        assertThat(Json.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(Json.quote("\u0000\u001b\u007f")).isEqualTo("\"\\u0000\\u001b\\u007f\"");
    }

    @Test
    void lineSeparatorsAreEscapedSoOneObjectStaysOnOneLine() {
        assertThat(Json.quote("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
    }

    @Test
    void nonAsciiAndNonBmpPassThrough() {
        assertThat(Json.quote("héllo 😀 日本")).isEqualTo("\"héllo 😀 日本\"");
    }

    @Test
    void unpairedSurrogatesAreEscaped() {
        assertThat(Json.quote("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
        assertThat(Json.quote("\ude00")).isEqualTo("\"\\ude00\"");
    }

    @Test
    void objectWithStringsNumbersAndBooleans() {
        var json = new Json().put("room", "#dev").put("seq", 42L).put("ok", true).put("t", "").toString();
        assertThat(json).isEqualTo("{\"room\":\"#dev\",\"seq\":42,\"ok\":true,\"t\":\"\"}");
    }
}
