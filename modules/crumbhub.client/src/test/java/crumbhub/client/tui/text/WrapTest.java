package crumbhub.client.tui.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WrapTest {
    private static List<String> wrap(String text, int width, int indent) {
        return Wrap.wrap(List.of(Span.plain(text)), width, indent).stream().map(StyledLine::text).toList();
    }

    @Test
    void shortTextIsOneLine() {
        assertThat(wrap("hello world", 20, 4)).containsExactly("hello world");
    }

    @Test
    void breaksAfterSpacesWithHangingIndent() {
        assertThat(wrap("<al> the quick brown fox jumps", 12, 5))
                .containsExactly("<al> the", "     quick", "     brown", "     fox", "     jumps");
    }

    @Test
    void exactFitDoesNotWrap() {
        assertThat(wrap("abcd efgh", 9, 0)).containsExactly("abcd efgh");
        assertThat(wrap("abcd efgh", 8, 0)).containsExactly("abcd", "efgh");
    }

    @Test
    void longWordsAreCut() {
        assertThat(wrap("abcdefghij", 4, 0)).containsExactly("abcd", "efgh", "ij");
        assertThat(wrap("x abcdefghij", 4, 1)).containsExactly("x", " abc", " def", " ghi", " j");
    }

    @Test
    void wideCharactersNeverStraddleRows() {
        assertThat(wrap("日本語テキスト", 5, 0)).containsExactly("日本", "語テ", "キス", "ト");
        for (String row : wrap("ab日本語テキスト", 5, 0)) {
            assertThat(DisplayWidth.of(row)).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void combiningMarksStayOnTheRowOfTheirLetter() {
        assertThat(wrap("abce\u0301fg", 4, 0)).containsExactly("abce\u0301", "fg");
    }

    @Test
    void lineFeedsForceBreaksAndIndentTheNextRow() {
        assertThat(wrap("one\ntwo three", 20, 2)).containsExactly("one", "  two three");
    }

    @Test
    void indentIsCappedAtHalfTheWidth() {
        assertThat(wrap("aaaaaaaaaaaaaaaaa bbbb cccc", 10, 30)).containsExactly("aaaaaaaaaa", "     aaaaa", "     aa", "     bbbb", "     cccc");
    }

    @Test
    void manySpacesAtABreakAreDropped() {
        assertThat(wrap("abc      def", 5, 0)).containsExactly("abc", "def");
    }

    @Test
    void stylesArePreservedAcrossBreaks() {
        var red = Style.fg(1);
        var lines = Wrap.wrap(List.of(new Span("<al> ", red), Span.plain("aaa bbb")), 10, 5);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).spans()).containsExactly(new Span("<al> ", red), Span.plain("aaa"));
        assertThat(lines.get(1).spans()).containsExactly(Span.plain("     "), Span.plain("bbb"));
    }

    @Test
    void everyRowFitsForManyWidths() {
        String text = "Lorem ipsum dolor sit amet, 日本語 consectetur 😀😀 adipiscing elit, sed do eiusmod";
        for (int width = 2; width < 40; width++) {
            for (String row : wrap(text, width, 6)) {
                assertThat(DisplayWidth.of(row)).as("width %d row '%s'", width, row).isLessThanOrEqualTo(width);
            }
        }
    }
}
