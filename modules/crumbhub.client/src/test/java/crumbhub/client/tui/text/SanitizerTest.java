package crumbhub.client.tui.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SanitizerTest {
    @Test
    void escapeSequencesCannotReachTheTerminal() {
        assertThat(Sanitizer.clean("a\u001B[2Jb\u009Bc\u0007", false)).isEqualTo("a\uFFFD[2Jb\uFFFDc\uFFFD");
    }

    @Test
    void tabsBecomeSpacesAndNewlinesAreKeptOnlyWhenAsked() {
        assertThat(Sanitizer.clean("a\tb\r\nc", true)).isEqualTo("a b\nc");
        assertThat(Sanitizer.clean("a\nb", false)).isEqualTo("a b");
    }

    @Test
    void bidiOverridesAreRemoved() {
        assertThat(Sanitizer.clean("abc\u202Edef\u2066", false)).isEqualTo("abcdef");
    }

    @Test
    void unpairedSurrogatesAreReplacedAndPairsKept() {
        assertThat(Sanitizer.clean("x\uD83D", false)).isEqualTo("x\uFFFD");
        assertThat(Sanitizer.clean("😀", false)).isSameAs("😀");
    }

    @Test
    void cleanTextIsReturnedAsIs() {
        String s = "héllo 日本";
        assertThat(Sanitizer.clean(s, false)).isSameAs(s);
    }
}
