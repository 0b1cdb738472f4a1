package crumbhub.client.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.tui.input.Key.KeyName;
import crumbhub.client.tui.text.DisplayWidth;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LineEditorTest {
    private final LineEditor editor = new LineEditor(LineEditorTest::complete, new History(3));

    /** Completes "al" to alice/alan, "/j" to /join; nicks at the line start get ": ". */
    private static List<String> complete(String line, int start, int cursor) {
        String word = line.substring(start, cursor);
        if (word.startsWith("/")) {
            return Stream.of("/join", "/leave").filter(c -> c.startsWith(word)).map(c -> c + " ").toList();
        }
        String suffix = start == 0 ? ": " : " ";
        return Stream.of("alan", "alice", "bob").filter(n -> n.startsWith(word) && !word.isEmpty())
                .map(n -> n + suffix).toList();
    }

    private void type(String text) {
        text.codePoints().forEach(cp -> editor.handle(Key.ch(cp)));
    }

    private LineEditor.Outcome press(Key key) {
        return editor.handle(key);
    }

    private void press(char ctrl) {
        editor.handle(Key.ctrl(ctrl));
    }

    private void alt(char c) {
        editor.handle(new Key.Alt(Key.ch(c)));
    }

    private void named(KeyName name) {
        editor.handle(Key.named(name));
    }

    /** The line with '|' at the cursor. */
    private String state() {
        return editor.text().substring(0, editor.cursor()) + "|" + editor.text().substring(editor.cursor());
    }

    @Test
    void typingInsertsAtTheCursor() {
        type("helo");
        press('B');
        type("l");
        assertThat(state()).isEqualTo("hell|o");
    }

    @Test
    void ctrlAAndCtrlEAndHomeEndMoveToTheEnds() {
        type("abc");
        press('A');
        assertThat(state()).isEqualTo("|abc");
        press('E');
        assertThat(state()).isEqualTo("abc|");
        named(KeyName.HOME);
        assertThat(state()).isEqualTo("|abc");
        named(KeyName.END);
        assertThat(state()).isEqualTo("abc|");
    }

    @Test
    void ctrlBCtrlFAndArrowsMoveOneCharacterAndStopAtTheEnds() {
        type("ab");
        press('F');
        assertThat(state()).isEqualTo("ab|");
        press('B');
        named(KeyName.LEFT);
        named(KeyName.LEFT);
        assertThat(state()).isEqualTo("|ab");
        named(KeyName.RIGHT);
        assertThat(state()).isEqualTo("a|b");
    }

    @Test
    void backspaceAndCtrlHDeleteBackwardCtrlDAndDeleteForward() {
        type("abcdef");
        press('A');
        press('F');
        press('F');
        press('F');
        named(KeyName.BACKSPACE);
        assertThat(state()).isEqualTo("ab|def");
        press('H');
        assertThat(state()).isEqualTo("a|def");
        press('D');
        assertThat(state()).isEqualTo("a|ef");
        named(KeyName.DELETE);
        assertThat(state()).isEqualTo("a|f");
        press('A');
        named(KeyName.BACKSPACE);
        press('E');
        press('D');
        assertThat(state()).isEqualTo("af|");
    }

    @Test
    void ctrlWKillsTheWhitespaceWordBeforeAndCtrlYYanksIt() {
        type("say hello-there  ");
        press('W');
        assertThat(state()).isEqualTo("say |");
        press('A');
        press('Y');
        assertThat(state()).isEqualTo("hello-there  |say ");
    }

    @Test
    void consecutiveKillsAddUpForOneYank() {
        type("one two three");
        press('W');
        press('W');
        assertThat(state()).isEqualTo("one |");
        press('Y');
        assertThat(state()).isEqualTo("one two three|");
    }

    @Test
    void ctrlUAndCtrlKKillToTheEnds() {
        type("left right");
        for (int i = 0; i < 5; i++) {
            press('B');
        }
        press('K');
        assertThat(state()).isEqualTo("left |");
        press('U');
        assertThat(state()).isEqualTo("|");
        press('Y');
        assertThat(state()).as("the two kills in a row add up").isEqualTo("left right|");
    }

    @Test
    void altBAndAltFMoveByWords() {
        type("foo, bar.baz");
        alt('b');
        assertThat(state()).isEqualTo("foo, bar.|baz");
        alt('b');
        assertThat(state()).isEqualTo("foo, |bar.baz");
        alt('b');
        assertThat(state()).isEqualTo("|foo, bar.baz");
        alt('f');
        assertThat(state()).isEqualTo("foo|, bar.baz");
        editor.handle(new Key.Named(KeyName.RIGHT, Key.CTRL));
        assertThat(state()).isEqualTo("foo, bar|.baz");
        editor.handle(new Key.Named(KeyName.LEFT, Key.CTRL));
        assertThat(state()).isEqualTo("foo, |bar.baz");
    }

    @Test
    void altDAndAltBackspaceKillWords() {
        type("foo bar baz");
        press('A');
        alt('d');
        assertThat(state()).isEqualTo("| bar baz");
        press('E');
        editor.handle(new Key.Alt(Key.named(KeyName.BACKSPACE)));
        assertThat(state()).isEqualTo(" bar |");
    }

    @Test
    void enterSubmitsAndClearsAndRecordsHistory() {
        type("hello");
        assertThat(press(Key.named(KeyName.ENTER))).isEqualTo(new LineEditor.Submitted("hello"));
        assertThat(state()).isEqualTo("|");
        assertThat(editor.history().size()).isEqualTo(1);
    }

    @Test
    void upAndDownWalkHistoryAndRestoreTheDraft() {
        for (String s : List.of("one", "two")) {
            type(s);
            named(KeyName.ENTER);
        }
        type("dra");
        named(KeyName.UP);
        assertThat(state()).isEqualTo("two|");
        named(KeyName.UP);
        assertThat(state()).isEqualTo("one|");
        named(KeyName.UP);
        assertThat(state()).isEqualTo("one|");
        named(KeyName.DOWN);
        assertThat(state()).isEqualTo("two|");
        named(KeyName.DOWN);
        assertThat(state()).isEqualTo("dra|");
        named(KeyName.DOWN);
        assertThat(state()).isEqualTo("dra|");
    }

    @Test
    void historyIsBoundedAndSkipsBlanksAndRepeats() {
        for (String s : List.of("a", "b", "b", " ", "c", "d")) {
            type(s);
            named(KeyName.ENTER);
        }
        assertThat(editor.history().size()).isEqualTo(3);
        named(KeyName.UP);
        named(KeyName.UP);
        named(KeyName.UP);
        named(KeyName.UP);
        assertThat(state()).isEqualTo("b|");
    }

    @Test
    void tabCompletesANickAtLineStartWithColon() {
        type("bo");
        named(KeyName.TAB);
        assertThat(state()).isEqualTo("bob: |");
    }

    @Test
    void repeatedTabCyclesCandidatesAndShiftTabGoesBack() {
        type("hi al");
        named(KeyName.TAB);
        assertThat(state()).isEqualTo("hi alan |");
        named(KeyName.TAB);
        assertThat(state()).isEqualTo("hi alice |");
        named(KeyName.TAB);
        assertThat(state()).isEqualTo("hi alan |");
        named(KeyName.BACKTAB);
        assertThat(state()).isEqualTo("hi alice |");
        type("x");
        assertThat(state()).isEqualTo("hi alice x|");
    }

    @Test
    void completionKeepsTheTextAfterTheCursor() {
        type("/j #room");
        press('A');
        press('F');
        press('F');
        named(KeyName.TAB);
        assertThat(state()).isEqualTo("/join | #room");
    }

    @Test
    void tabWithNoCandidatesChangesNothing() {
        type("zz");
        named(KeyName.TAB);
        assertThat(state()).isEqualTo("zz|");
    }

    @Test
    void wideCharactersCountTwoColumnsForTheCursor() {
        type("日本x");
        assertThat(editor.cursorColumn()).isEqualTo(5);
        press('B');
        press('B');
        assertThat(editor.cursorColumn()).isEqualTo(2);
        type("😀");
        assertThat(editor.cursorColumn()).isEqualTo(4);
        assertThat(editor.text()).isEqualTo("日😀本x");
    }

    @Test
    void combiningMarksMoveAndDeleteWithTheirLetter() {
        type("ae\u0301b");
        press('B');
        press('B');
        assertThat(state()).isEqualTo("a|e\u0301b");
        assertThat(editor.cursorColumn()).isEqualTo(1);
        press('D');
        assertThat(state()).isEqualTo("a|b");
        type("e\u0301");
        named(KeyName.BACKSPACE);
        assertThat(state()).isEqualTo("a|b");
    }

    @Test
    void pastedTextIsInsertedWithLineBreaksAsSpacesAndControlsNeutralised() {
        editor.handle(new Key.Paste("one\r\ntwo\u001B[2J"));
        assertThat(editor.text()).isEqualTo("one two\uFFFD[2J");
    }

    @Test
    void theLineIsBounded() {
        editor.handle(new Key.Paste("x".repeat(LineEditor.MAX_LENGTH + 100)));
        type("more");
        assertThat(editor.text()).hasSize(LineEditor.MAX_LENGTH);
    }

    @Test
    void keysItDoesNotUseAreLeftToTheCaller() {
        assertThat(press(Key.named(KeyName.PAGE_UP))).isInstanceOf(LineEditor.NotHandled.class);
        assertThat(press(Key.ctrl('C'))).isInstanceOf(LineEditor.NotHandled.class);
        assertThat(press(new Key.Alt(Key.ch('1')))).isInstanceOf(LineEditor.NotHandled.class);
    }

    @Test
    void viewScrollsSidewaysToKeepTheCursorVisible() {
        type("abcdefghijklmnopqrstuvwxyz");
        var view = editor.view(10);
        assertThat(view.cursorColumn()).isBetween(0, 9);
        assertThat(view.text()).endsWith("z");
        assertThat(DisplayWidth.of(view.text())).isLessThanOrEqualTo(10);
        press('A');
        view = editor.view(10);
        assertThat(view.cursorColumn()).isZero();
        assertThat(view.text()).isEqualTo("abcdefghij");
    }

    @Test
    void viewNeverCutsAWideCharacterInHalf() {
        type("日本語日本語日本語日本語");
        for (int i = 0; i < 12; i++) {
            var view = editor.view(7);
            assertThat(DisplayWidth.of(view.text())).isLessThanOrEqualTo(7);
            assertThat(view.cursorColumn()).isBetween(0, 6);
            press('B');
        }
    }

    @Test
    void shortLineIsShownWhole() {
        type("hi");
        assertThat(editor.view(10)).isEqualTo(new LineEditor.View("hi", 2));
    }
}
