package crumbhub.client.tui.input;

/** One key press (or paste) decoded from the terminal's input bytes. */
public sealed interface Key {
    /** Modifier bits of {@link Named}, as xterm reports them (parameter minus one). */
    int SHIFT = 1;
    int ALT = 2;
    int CTRL = 4;

    /** A character typed as text. */
    record Char(int codePoint) implements Key {
        @Override
        public String toString() {
            return "Char[" + Character.toString(codePoint) + "]";
        }
    }

    /** Ctrl with a letter or one of {@code @ \ ] ^ _}; {@code letter} is upper case. */
    record Ctrl(char letter) implements Key {
    }

    /** A key with a name, with modifier bits ({@link #SHIFT}, {@link #ALT}, {@link #CTRL}). */
    record Named(KeyName name, int modifiers) implements Key {
        public Named(KeyName name) {
            this(name, 0);
        }
    }

    /** A key pressed with Alt (sent by terminals as ESC followed by the key). */
    record Alt(Key key) implements Key {
    }

    /** Text pasted while bracketed paste mode was on; it may contain any character. */
    record Paste(String text) implements Key {
        @Override
        public String toString() {
            return "Paste[" + text.length() + " chars]";
        }
    }

    /** A well-formed escape sequence this client does not use (function keys, reports, mouse). */
    record Unknown(String sequence) implements Key {
    }

    enum KeyName {
        ENTER, TAB, BACKTAB, BACKSPACE, ESCAPE, UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN,
        INSERT, DELETE, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12
    }

    static Key ctrl(char letter) {
        return new Ctrl(letter);
    }

    static Key named(KeyName name) {
        return new Named(name);
    }

    static Key ch(int codePoint) {
        return new Char(codePoint);
    }
}
