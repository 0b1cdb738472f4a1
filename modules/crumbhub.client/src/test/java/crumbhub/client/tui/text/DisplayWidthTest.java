package crumbhub.client.tui.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisplayWidthTest {
    @Test
    void asciiLettersTakeOneColumn() {
        assertThat(DisplayWidth.of("hello")).isEqualTo(5);
        assertThat(DisplayWidth.of('~')).isEqualTo(1);
    }

    @Test
    void cjkHangulAndFullwidthTakeTwoColumns() {
        assertThat(DisplayWidth.of("日本語")).isEqualTo(6);
        assertThat(DisplayWidth.of("한국")).isEqualTo(4);
        assertThat(DisplayWidth.of("ＡＢ")).isEqualTo(4);
        assertThat(DisplayWidth.of('\u3000')).isEqualTo(2);
    }

    @Test
    void emojiTakeTwoColumns() {
        assertThat(DisplayWidth.of("😀")).isEqualTo(2);
        assertThat(DisplayWidth.of("🚀")).isEqualTo(2);
        assertThat(DisplayWidth.of("🦀")).isEqualTo(2);
        assertThat(DisplayWidth.of(0x231A)).isEqualTo(2);
    }

    @Test
    void textPresentationSymbolsStayNarrow() {
        assertThat(DisplayWidth.of('☺')).isEqualTo(1);
        assertThat(DisplayWidth.of('→')).isEqualTo(1);
        assertThat(DisplayWidth.of('é')).isEqualTo(1);
        assertThat(DisplayWidth.of(0x303F)).isEqualTo(1);
        assertThat(DisplayWidth.of(0x1F321)).isEqualTo(1);
    }

    @Test
    void combiningMarksAndFormatCharactersTakeNoColumn() {
        assertThat(DisplayWidth.of("e\u0301")).isEqualTo(1);
        assertThat(DisplayWidth.of("a\u20DD")).isEqualTo(1);
        assertThat(DisplayWidth.of('\u200B')).isZero();
        assertThat(DisplayWidth.of('\u200D')).isZero();
        assertThat(DisplayWidth.of('\uFE0F')).isZero();
        assertThat(DisplayWidth.of(0x1160)).isZero();
    }

    @Test
    void softHyphenIsVisible() {
        assertThat(DisplayWidth.of('\u00AD')).isEqualTo(1);
    }

    @Test
    void controlCharactersTakeNoColumn() {
        assertThat(DisplayWidth.of('\u001B')).isZero();
        assertThat(DisplayWidth.of('\u009B')).isZero();
    }

    @Test
    void clustersKeepCombiningMarksWithTheirBase() {
        String s = "ae\u0301\u0302b";
        assertThat(DisplayWidth.clusterEnd(s, 0)).isEqualTo(1);
        assertThat(DisplayWidth.clusterEnd(s, 1)).isEqualTo(4);
        assertThat(DisplayWidth.clusterStart(s, 4)).isEqualTo(1);
        assertThat(DisplayWidth.clusterStart(s, 5)).isEqualTo(4);
    }

    @Test
    void clustersStepOverSurrogatePairs() {
        String s = "x😀y";
        assertThat(DisplayWidth.clusterEnd(s, 1)).isEqualTo(3);
        assertThat(DisplayWidth.clusterStart(s, 3)).isEqualTo(1);
        assertThat(DisplayWidth.clusterWidth(s, 1)).isEqualTo(2);
    }
}
