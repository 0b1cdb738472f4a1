package crumbhub.client.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and writing IRC lines, and fitting CrumbHub text into them, without a socket. */
class IrcMessageTest {
    @Test
    void parsesTagsSourceCommandAndTrailingParameter() {
        var m = IrcMessage.parse("@time=2026-01-01T00:00:00.000Z;msgid=ab;+x=a\\sb\\:c\\\\ :nick!u@h privmsg #dev :hello  there");
        assertThat(m.tags()).containsOnlyKeys("time", "msgid", "+x").containsEntry("time", "2026-01-01T00:00:00.000Z")
                .containsEntry("msgid", "ab").containsEntry("+x", "a b;c\\");
        assertThat(m.source()).isEqualTo("nick!u@h");
        assertThat(m.command()).isEqualTo("PRIVMSG");
        assertThat(m.params()).containsExactly("#dev", "hello  there");
    }

    @Test
    void toleratesWhatClientsSend() {
        assertThat(IrcMessage.parse("").command()).isEmpty();
        assertThat(IrcMessage.parse("@only-tags").command()).isEmpty();
        assertThat(IrcMessage.parse(":src").command()).isEmpty();
        assertThat(IrcMessage.parse("NICK   alice  ").params()).containsExactly("alice");
        assertThat(IrcMessage.parse("001 x").command()).isEqualTo("001");
        assertThat(IrcMessage.parse("PRIVMSG #a :").params()).containsExactly("#a", "");
        assertThat(IrcMessage.parse("@a=\\ X").tags()).containsEntry("a", "");
        var many = IrcMessage.parse("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17");
        assertThat(many.params()).hasSize(15).endsWith("15 16 17");
    }

    @Test
    void writesTrailingParametersAndRefusesLineBreaks() {
        assertThat(IrcMessage.of("s", "JOIN", "#dev")).hasToString(":s JOIN #dev");
        assertThat(IrcMessage.of("s", "PRIVMSG", "#dev", "hi")).hasToString(":s PRIVMSG #dev :hi");
        assertThat(IrcMessage.of("", "PING", ":x")).hasToString("PING ::x");
        assertThat(IrcMessage.of("", "PING", "")).hasToString("PING :");
        assertThat(new IrcMessage(Map.of("a", "b c;d"), "s", "X", List.of())).hasToString("@a=b\\sc\\:d :s X");
        assertThatThrownBy(() -> IrcMessage.of("s", "PRIVMSG", "#dev", "a\r\nQUIT").toString())
                .isInstanceOf(IllegalArgumentException.class);
        var parsed = IrcMessage.parse(new IrcMessage(Map.of("k", "v\\ ;\n"), "s", "PRIVMSG", List.of("#a", "b c")).toString());
        assertThat(parsed.tags()).containsEntry("k", "v\\ ;\n");
        assertThat(parsed.params()).containsExactly("#a", "b c");
    }

    @Test
    void splitsLongAndMultiLineTextIntoPiecesThatFitAtCodePointBoundaries() {
        String text = "é😀".repeat(400) + "\r\nsecond\n\nfourth\u0000\n";
        List<String> pieces = IrcText.split(text, 100);
        assertThat(pieces).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(IrcText.MAX_LINE - 100));
        assertThat(pieces).allSatisfy(p -> assertThat(p).doesNotContain("\r", "\n", "\u0000"));
        assertThat(String.join("", pieces.subList(0, pieces.size() - 3))).isEqualTo("é😀".repeat(400));
        assertThat(pieces.subList(pieces.size() - 3, pieces.size())).containsExactly("second", "", "fourth");
        assertThat(IrcText.split("", 10)).containsExactly("");
    }

    @Test
    void namesBecomeSingleTokens() {
        assertThat(IrcText.token("bob")).isEqualTo("bob");
        assertThat(IrcText.token("a b:c,d!e@f\r\n")).isEqualTo("a_b_c_d_e_f__");
        assertThat(IrcText.token("")).isEqualTo("_");
        assertThat(IrcText.oneLine("a\r\nb")).isEqualTo("a  b");
    }
}
