package crumbhub.client.tui.term;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.tui.text.Style;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DisplayTest {
    private final MemoryTerminal terminal = new MemoryTerminal(20, 4);
    private final Display display = new Display(terminal, true);

    private ScreenBuffer frame() {
        return display.frame(terminal.size());
    }

    @Test
    void firstFrameDrawsEverything() {
        var f = frame();
        f.put(0, 0, "hello", Style.DEFAULT);
        f.put(3, 15, "world", Style.fg(2));
        display.present(f, 1, 2, false);
        assertThat(terminal.dump()).isEqualTo("hello\n\n\n               world\n");
        assertThat(terminal.screen().screen().style(3, 16)).isEqualTo(Style.fg(2));
        assertThat(terminal.screen().cursorRow()).isEqualTo(1);
        assertThat(terminal.screen().cursorCol()).isEqualTo(2);
        assertThat(terminal.screen().cursorVisible()).isTrue();
    }

    @Test
    void anUnchangedFrameWritesNothing() {
        var f = frame();
        f.put(0, 0, "same", Style.DEFAULT);
        display.present(f, 0, 0, false);
        int writes = terminal.writes();
        f = frame();
        f.put(0, 0, "same", Style.DEFAULT);
        display.present(f, 0, 0, false);
        assertThat(terminal.writes()).isEqualTo(writes);
    }

    @Test
    void aSmallChangeWritesFewBytesInOneWrite() {
        var f = frame();
        f.put(0, 0, "a long line of text", Style.DEFAULT);
        display.present(f, 0, 0, false);
        long before = terminal.bytesWritten();
        int writes = terminal.writes();
        f = frame();
        f.put(0, 0, "a long line of tExt", Style.DEFAULT);
        display.present(f, 0, 0, false);
        assertThat(terminal.writes()).isEqualTo(writes + 1);
        assertThat(terminal.bytesWritten() - before).isLessThan(60);
        assertThat(terminal.screen().screen().row(0)).isEqualTo("a long line of tExt");
    }

    @Test
    void shorterRowsAreErasedToTheEnd() {
        var f = frame();
        f.put(2, 0, "xxxxxxxxxxxxxxxxxxxx", Style.DEFAULT);
        display.present(f, 0, 0, false);
        f = frame();
        f.put(2, 0, "yy", Style.DEFAULT);
        display.present(f, 0, 0, false);
        assertThat(terminal.dump()).isEqualTo("\n\nyy\n\n");
    }

    @Test
    void replacingWideCharactersWithNarrowOnesAndBackLeavesNoDebris() {
        var f = frame();
        f.put(0, 0, "日本語テキスト", Style.DEFAULT);
        display.present(f, 0, 0, false);
        f = frame();
        f.put(0, 1, "ab日x", Style.DEFAULT);
        display.present(f, 0, 0, false);
        assertThat(terminal.screen().screen().row(0)).isEqualTo(" ab日x");
        f = frame();
        f.put(0, 0, "日本語テキスト", Style.DEFAULT);
        display.present(f, 0, 0, false);
        assertThat(terminal.screen().screen().row(0)).isEqualTo("日本語テキスト");
    }

    @Test
    void bellIsRungOnRequest() {
        display.present(frame(), 0, 0, false);
        display.present(frame(), 0, 0, true);
        assertThat(terminal.screen().bells()).isEqualTo(1);
    }

    @Test
    void cursorCanBeHidden() {
        display.present(frame(), -1, 0, false);
        assertThat(terminal.screen().cursorVisible()).isFalse();
    }

    @Test
    void resizeRepaintsTheWholeScreen() {
        var f = frame();
        f.put(0, 0, "before", Style.DEFAULT);
        display.present(f, 0, 0, false);
        terminal.resize(10, 2);
        f = display.frame(terminal.size());
        f.put(1, 0, "after", Style.DEFAULT);
        display.present(f, 0, 0, false);
        assertThat(terminal.dump()).isEqualTo("\nafter\n");
    }

    @Test
    void withoutColoursOnlyAttributesAreSent() {
        var plain = new MemoryTerminal(10, 1);
        var noColour = new Display(plain, false);
        var f = noColour.frame(plain.size());
        f.put(0, 0, "x", Style.fg(1).with(Style.BOLD).withBg(4));
        noColour.present(f, 0, 0, false);
        assertThat(plain.screen().screen().style(0, 0)).isEqualTo(new Style(-1, -1, Style.BOLD));
    }

    @Test
    void anySequenceOfRandomFramesEndsWithTheScreenEqualToTheLastFrame() {
        var random = new Random(42);
        String[] pieces = {"a", "bc", "日", "本語", "é", "😀", " ", "xyz", "e\u0301"};
        Style[] styles = {Style.DEFAULT, Style.fg(1), Style.fg(12).with(Style.BOLD), Style.DEFAULT.with(Style.REVERSE),
                new Style(200, 17, Style.UNDERLINE)};
        ScreenBuffer expected = null;
        for (int round = 0; round < 300; round++) {
            if (round % 50 == 49) {
                terminal.resize(10 + random.nextInt(20), 2 + random.nextInt(5));
            }
            var f = frame();
            expected = new ScreenBuffer(f.width(), f.height());
            for (int k = 0; k < 12; k++) {
                int r = random.nextInt(f.height());
                int c = random.nextInt(f.width());
                String text = pieces[random.nextInt(pieces.length)] + pieces[random.nextInt(pieces.length)];
                Style s = styles[random.nextInt(styles.length)];
                f.put(r, c, text, s);
                expected.put(r, c, text, s);
            }
            display.present(f, 0, 0, false);
            for (int r = 0; r < f.height(); r++) {
                for (int c = 0; c < f.width(); c++) {
                    var shown = terminal.screen().screen();
                    assertThat(shown.text(r, c)).as("round %d cell %d,%d", round, r, c).isEqualTo(expected.text(r, c));
                    if (!expected.text(r, c).equals(" ")) {
                        assertThat(shown.style(r, c)).as("round %d style %d,%d", round, r, c).isEqualTo(expected.style(r, c));
                    }
                }
            }
        }
        assertThat(expected).isNotNull();
    }
}
