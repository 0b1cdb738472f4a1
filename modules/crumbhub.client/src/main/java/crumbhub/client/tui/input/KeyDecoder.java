package crumbhub.client.tui.input;

import crumbhub.client.tui.input.Key.KeyName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns the bytes a terminal sends in raw mode into {@link Key}s. Resumable: bytes may arrive
 * split anywhere, even inside a UTF-8 character or an escape sequence, and the decoder carries its
 * state to the next {@link #feed}. Bounded: an escape sequence keeps at most {@link #MAX_SEQUENCE}
 * bytes and a paste is handed out in pieces of at most {@link #MAX_PASTE_BYTES}.
 *
 * <p>A lone Esc cannot be told from the start of a sequence by its bytes alone, so when the
 * decoder is {@link #pending()} the caller waits {@link #timeout()} for more input and then calls
 * {@link #expire}: whatever is buffered is then taken as typed (Esc, Alt-[, a broken character).
 *
 * <p>Understands xterm/VT220 sequences: CSI and SS3 cursor keys with modifiers, Home/End,
 * Insert/Delete, PageUp/PageDown, F1–F12, Shift-Tab, bracketed paste ({@code ESC[200~ … ESC[201~}),
 * and Alt as an ESC prefix. Not thread-safe: owned by the UI thread.
 */
public final class KeyDecoder {
    /** How long a lone ESC waits for the rest of a sequence; sequences arrive in one burst. */
    public static final Duration ESCAPE_TIMEOUT = Duration.ofMillis(50);
    /** How long an unterminated paste waits for its end marker before it is taken as complete. */
    public static final Duration PASTE_TIMEOUT = Duration.ofSeconds(2);
    /** Longest CSI parameter string kept; real key sequences are under ten bytes. */
    public static final int MAX_SEQUENCE = 32;
    /** Largest paste piece; a longer paste arrives as several {@link Key.Paste}s. */
    public static final int MAX_PASTE_BYTES = 1 << 16;

    private static final byte ESC = 0x1B;
    private static final byte[] PASTE_END = {ESC, '[', '2', '0', '1', '~'};
    private static final int REPLACEMENT = 0xFFFD;

    private enum State { GROUND, ESCAPE, CSI, SS3, UTF8, PASTE }

    private State state = State.GROUND;
    private final StringBuilder sequence = new StringBuilder();
    private boolean sequenceTruncated;
    private boolean alt;
    private int codePoint;
    private int lead;
    private int needed;
    private int received;
    private byte[] paste = new byte[256];
    private int pasteLength;
    private int pasteMatched;

    /** Decodes {@code data[offset, offset+length)}, handing each complete key to {@code out}. */
    public void feed(byte[] data, int offset, int length, Consumer<Key> out) {
        for (int i = offset; i < offset + length; i++) {
            accept(data[i] & 0xFF, out);
        }
    }

    public void feed(byte[] data, Consumer<Key> out) {
        feed(data, 0, data.length, out);
    }

    /** Whether bytes are buffered that may still be the start of something longer. */
    public boolean pending() {
        return state != State.GROUND;
    }

    /** How long to wait for more input, while {@link #pending()}, before calling {@link #expire}. */
    public Duration timeout() {
        return state == State.PASTE ? PASTE_TIMEOUT : ESCAPE_TIMEOUT;
    }

    /** No more input came within {@link #timeout()}: takes what is buffered as complete. */
    public void expire(Consumer<Key> out) {
        switch (state) {
            case GROUND -> {
                return;
            }
            case ESCAPE -> out.accept(Key.named(KeyName.ESCAPE));
            case CSI -> out.accept(sequence.isEmpty() && !sequenceTruncated
                    ? new Key.Alt(Key.ch('['))
                    : new Key.Unknown("\u001B[" + sequence));
            case SS3 -> out.accept(new Key.Alt(Key.ch('O')));
            case UTF8 -> out.accept(Key.ch(REPLACEMENT));
            case PASTE -> out.accept(new Key.Paste(new String(paste, 0, pasteLength, StandardCharsets.UTF_8)));
        }
        reset();
    }

    private void reset() {
        state = State.GROUND;
        sequence.setLength(0);
        sequenceTruncated = false;
        alt = false;
        pasteLength = 0;
        pasteMatched = 0;
        if (paste.length > 256) {
            paste = new byte[256];
        }
    }

    private void accept(int b, Consumer<Key> out) {
        switch (state) {
            case GROUND -> ground(b, out);
            case ESCAPE -> escape(b, out);
            case CSI -> csi(b, out);
            case SS3 -> ss3(b, out);
            case UTF8 -> utf8(b, out);
            case PASTE -> paste(b, out);
        }
    }

    private void ground(int b, Consumer<Key> out) {
        if (b == ESC) {
            state = State.ESCAPE;
        } else if (b < 0x80) {
            out.accept(ascii(b));
        } else if (!startUtf8(b, false)) {
            out.accept(Key.ch(REPLACEMENT));
        }
    }

    private void escape(int b, Consumer<Key> out) {
        if (b == '[') {
            state = State.CSI;
        } else if (b == 'O') {
            state = State.SS3;
        } else if (b == ESC) {
            out.accept(Key.named(KeyName.ESCAPE));
        } else if (b < 0x80) {
            state = State.GROUND;
            out.accept(new Key.Alt(ascii(b)));
        } else if (!startUtf8(b, true)) {
            state = State.GROUND;
            out.accept(new Key.Alt(Key.ch(REPLACEMENT)));
        }
    }

    private void csi(int b, Consumer<Key> out) {
        if (b >= 0x20 && b <= 0x3F) {
            if (sequence.length() < MAX_SEQUENCE) {
                sequence.append((char) b);
            } else {
                sequenceTruncated = true;
            }
        } else if (b >= 0x40 && b <= 0x7E) {
            String params = sequence.toString();
            boolean truncated = sequenceTruncated;
            reset();
            if (truncated) {
                out.accept(new Key.Unknown("\u001B[" + params + (char) b));
            } else {
                dispatchCsi(params, (char) b, out);
            }
        } else {
            String params = sequence.toString();
            reset();
            out.accept(new Key.Unknown("\u001B[" + params));
            ground(b, out);
        }
    }

    private void dispatchCsi(String params, char fin, Consumer<Key> out) {
        int[] p = parseParameters(params);
        if (p == null) {
            out.accept(new Key.Unknown("\u001B[" + params + fin));
            return;
        }
        int first = p.length > 0 ? p[0] : 0;
        int mods = p.length > 1 && p[1] > 0 ? p[1] - 1 : 0;
        KeyName name = switch (fin) {
            case 'A' -> KeyName.UP;
            case 'B' -> KeyName.DOWN;
            case 'C' -> KeyName.RIGHT;
            case 'D' -> KeyName.LEFT;
            case 'H' -> KeyName.HOME;
            case 'F' -> KeyName.END;
            case 'Z' -> KeyName.BACKTAB;
            case 'P' -> KeyName.F1;
            case 'Q' -> KeyName.F2;
            case 'R' -> KeyName.F3;
            case 'S' -> KeyName.F4;
            case '~' -> tilde(first);
            default -> null;
        };
        if (fin == '~' && first == 200) {
            state = State.PASTE;
        } else if (name == null) {
            out.accept(new Key.Unknown("\u001B[" + params + fin));
        } else {
            out.accept(new Key.Named(name, mods & (Key.SHIFT | Key.ALT | Key.CTRL)));
        }
    }

    private static KeyName tilde(int code) {
        return switch (code) {
            case 1, 7 -> KeyName.HOME;
            case 2 -> KeyName.INSERT;
            case 3 -> KeyName.DELETE;
            case 4, 8 -> KeyName.END;
            case 5 -> KeyName.PAGE_UP;
            case 6 -> KeyName.PAGE_DOWN;
            case 11 -> KeyName.F1;
            case 12 -> KeyName.F2;
            case 13 -> KeyName.F3;
            case 14 -> KeyName.F4;
            case 15 -> KeyName.F5;
            case 17 -> KeyName.F6;
            case 18 -> KeyName.F7;
            case 19 -> KeyName.F8;
            case 20 -> KeyName.F9;
            case 21 -> KeyName.F10;
            case 23 -> KeyName.F11;
            case 24 -> KeyName.F12;
            default -> null;
        };
    }

    /** Numeric parameters separated by ';' (empty means 0), or null for private or odd forms. */
    private static int[] parseParameters(String params) {
        if (params.isEmpty()) {
            return new int[0];
        }
        String[] parts = params.split(";", -1);
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.length() > 4) {
                return null;
            }
            for (int k = 0; k < part.length(); k++) {
                char c = part.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                values[i] = values[i] * 10 + (c - '0');
            }
        }
        return values;
    }

    private void ss3(int b, Consumer<Key> out) {
        KeyName name = switch (b) {
            case 'A' -> KeyName.UP;
            case 'B' -> KeyName.DOWN;
            case 'C' -> KeyName.RIGHT;
            case 'D' -> KeyName.LEFT;
            case 'H' -> KeyName.HOME;
            case 'F' -> KeyName.END;
            case 'M' -> KeyName.ENTER;
            case 'P' -> KeyName.F1;
            case 'Q' -> KeyName.F2;
            case 'R' -> KeyName.F3;
            case 'S' -> KeyName.F4;
            default -> null;
        };
        reset();
        if (name != null) {
            out.accept(Key.named(name));
        } else if (b >= 0x40 && b <= 0x7E) {
            out.accept(new Key.Unknown("\u001BO" + (char) b));
        } else {
            out.accept(new Key.Alt(Key.ch('O')));
            ground(b, out);
        }
    }

    private boolean startUtf8(int b, boolean withAlt) {
        if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed = 2;
            codePoint = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed = 3;
            codePoint = b & 0x07;
        } else {
            return false;
        }
        lead = b;
        received = 0;
        alt = withAlt;
        state = State.UTF8;
        return true;
    }

    private void utf8(int b, Consumer<Key> out) {
        int lo = 0x80;
        int hi = 0xBF;
        if (received == 0) {
            // the second byte excludes overlong forms, surrogates and code points above U+10FFFF
            switch (lead) {
                case 0xE0 -> lo = 0xA0;
                case 0xED -> hi = 0x9F;
                case 0xF0 -> lo = 0x90;
                case 0xF4 -> hi = 0x8F;
                default -> { }
            }
        }
        if (b < lo || b > hi) {
            reset();
            out.accept(Key.ch(REPLACEMENT));
            ground(b, out);
            return;
        }
        codePoint = (codePoint << 6) | (b & 0x3F);
        received++;
        if (received == needed) {
            Key key = Key.ch(codePoint);
            boolean wasAlt = alt;
            reset();
            out.accept(wasAlt ? new Key.Alt(key) : key);
        }
    }

    private void paste(int b, Consumer<Key> out) {
        if (pasteLength == paste.length) {
            paste = Arrays.copyOf(paste, Math.min(paste.length * 2, MAX_PASTE_BYTES + PASTE_END.length));
        }
        paste[pasteLength++] = (byte) b;
        if (b == (PASTE_END[pasteMatched] & 0xFF)) {
            pasteMatched++;
            if (pasteMatched == PASTE_END.length) {
                String text = new String(paste, 0, pasteLength - PASTE_END.length, StandardCharsets.UTF_8);
                reset();
                out.accept(new Key.Paste(text));
            }
            return;
        }
        pasteMatched = b == ESC ? 1 : 0;
        if (pasteLength - pasteMatched >= MAX_PASTE_BYTES) {
            emitPastePiece(out);
        }
    }

    /** Hands out the buffered paste up to the last whole UTF-8 character and any partial end marker. */
    private void emitPastePiece(Consumer<Key> out) {
        int end = pasteLength - pasteMatched;
        int start = end - 1;
        while (start > 0 && end - start < 4 && (paste[start] & 0xC0) == 0x80) {
            start--;
        }
        int leadByte = paste[start] & 0xFF;
        int length = leadByte >= 0xF0 ? 4 : leadByte >= 0xE0 ? 3 : leadByte >= 0xC0 ? 2 : 1;
        int cut = start + length > end ? start : end;
        out.accept(new Key.Paste(new String(paste, 0, cut, StandardCharsets.UTF_8)));
        System.arraycopy(paste, cut, paste, 0, pasteLength - cut);
        pasteLength -= cut;
    }

    private static Key ascii(int b) {
        return switch (b) {
            case 0x0D, 0x0A -> Key.named(KeyName.ENTER);
            case 0x09 -> Key.named(KeyName.TAB);
            case 0x7F -> Key.named(KeyName.BACKSPACE);
            case 0x00 -> Key.ctrl('@');
            default -> b < 0x20 ? Key.ctrl((char) (b + 0x40)) : Key.ch(b);
        };
    }
}
