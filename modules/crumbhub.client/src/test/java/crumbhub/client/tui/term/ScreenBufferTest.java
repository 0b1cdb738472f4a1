package crumbhub.client.tui.term;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.tui.text.Style;
import org.junit.jupiter.api.Test;

class ScreenBufferTest {
    @Test
    void putWritesTextAndReturnsTheNextColumn() {
        var b = new ScreenBuffer(10, 2);
        assertThat(b.put(0, 2, "abc", Style.DEFAULT)).isEqualTo(5);
        assertThat(b.row(0)).isEqualTo("  abc");
        assertThat(b.row(1)).isEmpty();
    }

    @Test
    void wideCharactersTakeTwoCellsAndAreClippedWhole() {
        var b = new ScreenBuffer(5, 1);
        assertThat(b.put(0, 0, "日本語", Style.DEFAULT)).isEqualTo(5);
        assertThat(b.row(0)).isEqualTo("日本");
        assertThat(b.text(0, 1)).isEmpty();
        assertThat(b.text(0, 4)).isEqualTo(" ");
    }

    @Test
    void overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = new ScreenBuffer(6, 1);
        b.put(0, 0, "日本", Style.DEFAULT);
        b.put(0, 1, "x", Style.DEFAULT);
        assertThat(b.row(0)).isEqualTo(" x本");
        b.put(0, 2, "y", Style.DEFAULT);
        assertThat(b.row(0)).isEqualTo(" xy");
        b.put(0, 3, "語", Style.DEFAULT);
        b.put(0, 2, "語", Style.DEFAULT);
        assertThat(b.row(0)).isEqualTo(" x語");
    }

    @Test
    void combiningMarksStayInTheCellOfTheirLetter() {
        var b = new ScreenBuffer(5, 1);
        assertThat(b.put(0, 0, "e\u0301x", Style.DEFAULT)).isEqualTo(2);
        assertThat(b.text(0, 0)).isEqualTo("e\u0301");
    }

    @Test
    void controlCharactersNeverEnterTheBuffer() {
        var b = new ScreenBuffer(5, 1);
        b.put(0, 0, "a\u001Bb", Style.DEFAULT);
        assertThat(b.row(0)).isEqualTo("a\uFFFDb");
    }

    @Test
    void limitStopsWriting() {
        var b = new ScreenBuffer(10, 1);
        assertThat(b.put(0, 0, "abcdef", Style.DEFAULT, 3)).isEqualTo(3);
        assertThat(b.row(0)).isEqualTo("abc");
    }

    @Test
    void dumpShowsEveryRow() {
        var b = new ScreenBuffer(4, 3);
        b.put(1, 1, "hi", Style.DEFAULT);
        assertThat(b.dump()).isEqualTo("\n hi\n\n");
    }
}
