package crumbhub.client.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {
    @Test
    @SuppressWarnings("unchecked")
    void readsEveryKindOfValue() throws Exception {
        Object v = JsonReader.parse(" {\"a\":\"x\\n\\u00e9\\ud83d\\ude00\",\"b\":[1,-0.5e+3,true,false,null],\"c\":{}} ");
        assertThat(v).isInstanceOf(Map.class);
        var m = (Map<?, ?>) v;
        assertThat(m.get("a")).isEqualTo("x\né😀");
        assertThat((List<Object>) m.get("b")).containsExactly(new JsonReader.Number("1"), new JsonReader.Number("-0.5e+3"),
                true, false, JsonReader.NULL);
        assertThat((Map<?, ?>) m.get("c")).isEmpty();
    }

    @Test
    void numbersKeepTheirLiteral() throws Exception {
        assertThat(JsonReader.parse("12345678901234567890")).isEqualTo(new JsonReader.Number("12345678901234567890"));
        assertThat(new JsonReader.Number("42").asLong()).hasValue(42);
        assertThat(new JsonReader.Number("12345678901234567890").asLong()).isEmpty();
        assertThat(new JsonReader.Number("1.0").asLong()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
            "{\"a\":+1}", "{\"a\":1e}", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\udc00x\"}", "{\"a\":1,\"a\":2}", "{\"a\":1} x", "{a:1}", "nul", "truee", "{\"a\":1}{}",
            "\"unterminated", "[1 2]", "{\"a\" 1}", "/* c */ {}", "{\"a\":\"\\u０１２３\"}"})
    void refusesWhatIsNotStrictJson(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(JsonReader.JsonException.class);
    }

    @Test
    void boundsTheNesting() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 2) + "]".repeat(JsonReader.MAX_DEPTH + 2);
        assertThatThrownBy(() -> JsonReader.parse(deep)).isInstanceOf(JsonReader.JsonException.class)
                .hasMessageContaining("nested");
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        org.assertj.core.api.Assertions.assertThatCode(() -> JsonReader.parse(ok)).doesNotThrowAnyException();
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":tru}")).hasMessageContaining("character 6");
    }
}
