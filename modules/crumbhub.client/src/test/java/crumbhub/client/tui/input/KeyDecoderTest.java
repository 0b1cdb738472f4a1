package crumbhub.client.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.tui.input.Key.KeyName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDecoderTest {
    private static final String ESC = "\u001B";

    private record Case(byte[] bytes, List<Key> keys) {
    }

    private static Case when(String input, Key... keys) {
        return new Case(input.getBytes(StandardCharsets.UTF_8), List.of(keys));
    }

    private static Key named(KeyName name, int mods) {
        return new Key.Named(name, mods);
    }

    private static final List<Case> CASES = List.of(
            when("a", Key.ch('a')),
            when("é", Key.ch('é')),
            when("日", Key.ch('日')),
            when("😀", Key.ch(0x1F600)),
            when("\r", Key.named(KeyName.ENTER)),
            when("\n", Key.named(KeyName.ENTER)),
            when("\t", Key.named(KeyName.TAB)),
            when("\u007F", Key.named(KeyName.BACKSPACE)),
            when("\u0008", Key.ctrl('H')),
            when("\u0001\u0005\u0017", Key.ctrl('A'), Key.ctrl('E'), Key.ctrl('W')),
            when("\u0003", Key.ctrl('C')),
            when("\u0000", Key.ctrl('@')),
            when("\u001F", Key.ctrl('_')),
            when(ESC + "[A", Key.named(KeyName.UP)),
            when(ESC + "[B" + ESC + "[C" + ESC + "[D",
                    Key.named(KeyName.DOWN), Key.named(KeyName.RIGHT), Key.named(KeyName.LEFT)),
            when(ESC + "OA", Key.named(KeyName.UP)),
            when(ESC + "OH" + ESC + "OF", Key.named(KeyName.HOME), Key.named(KeyName.END)),
            when(ESC + "[H" + ESC + "[F", Key.named(KeyName.HOME), Key.named(KeyName.END)),
            when(ESC + "[1~" + ESC + "[4~" + ESC + "[7~" + ESC + "[8~",
                    Key.named(KeyName.HOME), Key.named(KeyName.END), Key.named(KeyName.HOME), Key.named(KeyName.END)),
            when(ESC + "[5~" + ESC + "[6~", Key.named(KeyName.PAGE_UP), Key.named(KeyName.PAGE_DOWN)),
            when(ESC + "[3~", Key.named(KeyName.DELETE)),
            when(ESC + "[2~", Key.named(KeyName.INSERT)),
            when(ESC + "[Z", Key.named(KeyName.BACKTAB)),
            when(ESC + "[1;5C", named(KeyName.RIGHT, Key.CTRL)),
            when(ESC + "[1;3D", named(KeyName.LEFT, Key.ALT)),
            when(ESC + "[3;2~", named(KeyName.DELETE, Key.SHIFT)),
            when(ESC + "[15~" + ESC + "[24~" + ESC + "OP", Key.named(KeyName.F5), Key.named(KeyName.F12), Key.named(KeyName.F1)),
            when(ESC + "b", new Key.Alt(Key.ch('b'))),
            when(ESC + "B", new Key.Alt(Key.ch('B'))),
            when(ESC + "\u007F", new Key.Alt(Key.named(KeyName.BACKSPACE))),
            when(ESC + "é", new Key.Alt(Key.ch('é'))),
            when(ESC + "1x", new Key.Alt(Key.ch('1')), Key.ch('x')),
            when(ESC + "[200~hi " + ESC + "there\r\n日" + ESC + "[201~x",
                    new Key.Paste("hi " + ESC + "there\r\n日"), Key.ch('x')),
            when(ESC + "[200~a" + ESC + "[20" + ESC + "[201~", new Key.Paste("a" + ESC + "[20")),
            when(ESC + "[?1;2c", new Key.Unknown(ESC + "[?1;2c")),
            when(ESC + "[<0;3;4M", new Key.Unknown(ESC + "[<0;3;4M")),
            when(ESC + "[99~z", new Key.Unknown(ESC + "[99~"), Key.ch('z')),
            when(ESC + "Ox", new Key.Unknown(ESC + "Ox")),
            when("a" + ESC + "[Ab", Key.ch('a'), Key.named(KeyName.UP), Key.ch('b')));

    private static List<Key> decode(KeyDecoder decoder, byte[]... pieces) {
        var keys = new ArrayList<Key>();
        for (byte[] piece : pieces) {
            decoder.feed(piece, keys::add);
        }
        return keys;
    }

    @Test
    void decodesEachSequenceWhole() {
        for (Case c : CASES) {
            var decoder = new KeyDecoder();
            assertThat(decode(decoder, c.bytes())).as(Arrays.toString(c.bytes())).isEqualTo(c.keys());
            assertThat(decoder.pending()).isFalse();
        }
    }

    @Test
    void decodesTheSameAtEverySplitPoint() {
        for (Case c : CASES) {
            for (int split = 0; split <= c.bytes().length; split++) {
                var decoder = new KeyDecoder();
                var keys = decode(decoder, Arrays.copyOfRange(c.bytes(), 0, split),
                        Arrays.copyOfRange(c.bytes(), split, c.bytes().length));
                assertThat(keys).as("%s split at %d", Arrays.toString(c.bytes()), split).isEqualTo(c.keys());
            }
        }
    }

    @Test
    void decodesTheSameByteByByte() {
        for (Case c : CASES) {
            var decoder = new KeyDecoder();
            var keys = new ArrayList<Key>();
            for (byte b : c.bytes()) {
                decoder.feed(new byte[] {b}, keys::add);
            }
            assertThat(keys).as(Arrays.toString(c.bytes())).isEqualTo(c.keys());
        }
    }

    @Test
    void loneEscapeIsEscapeAfterTheTimeout() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder, ESC.getBytes(StandardCharsets.US_ASCII));
        assertThat(keys).isEmpty();
        assertThat(decoder.pending()).isTrue();
        assertThat(decoder.timeout()).isEqualTo(KeyDecoder.ESCAPE_TIMEOUT);
        decoder.expire(keys::add);
        assertThat(keys).containsExactly(Key.named(KeyName.ESCAPE));
        assertThat(decoder.pending()).isFalse();
    }

    @Test
    void escapeThenBracketAloneIsAltBracket() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder, (ESC + "[").getBytes(StandardCharsets.US_ASCII));
        decoder.expire(keys::add);
        decode(decoder, "A".getBytes(StandardCharsets.US_ASCII)).forEach(keys::add);
        assertThat(keys).containsExactly(new Key.Alt(Key.ch('[')), Key.ch('A'));
    }

    @Test
    void doubleEscapeGivesOneEscapeAndWaits() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder, (ESC + ESC + "[A").getBytes(StandardCharsets.US_ASCII));
        assertThat(keys).containsExactly(Key.named(KeyName.ESCAPE), Key.named(KeyName.UP));
    }

    @Test
    void truncatedCharacterBecomesReplacementAfterTheTimeout() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder, new byte[] {(byte) 0xE6, (byte) 0x97});
        assertThat(keys).isEmpty();
        decoder.expire(keys::add);
        assertThat(keys).containsExactly(Key.ch(0xFFFD));
    }

    @Test
    void malformedUtf8BecomesReplacementAndResynchronises() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder,
                new byte[] {(byte) 0x80, 'a', (byte) 0xC0, (byte) 0xAF, (byte) 0xE0, (byte) 0x80, (byte) 0x80,
                        (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF4, (byte) 0x90, (byte) 0xC3, 'b'});
        assertThat(keys).containsExactly(Key.ch(0xFFFD), Key.ch('a'), Key.ch(0xFFFD), Key.ch(0xFFFD),
                Key.ch(0xFFFD), Key.ch(0xFFFD), Key.ch(0xFFFD), Key.ch(0xFFFD), Key.ch(0xFFFD), Key.ch(0xFFFD),
                Key.ch(0xFFFD), Key.ch(0xFFFD), Key.ch(0xFFFD), Key.ch('b'));
    }

    @Test
    void overlongEscapeSequenceIsSwallowedAsUnknown() {
        var decoder = new KeyDecoder();
        String params = "1;".repeat(40);
        var keys = decode(decoder, (ESC + "[" + params + "Ax").getBytes(StandardCharsets.US_ASCII));
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).isInstanceOf(Key.Unknown.class);
        assertThat(((Key.Unknown) keys.get(0)).sequence().length()).isLessThanOrEqualTo(KeyDecoder.MAX_SEQUENCE + 3);
        assertThat(keys.get(1)).isEqualTo(Key.ch('x'));
    }

    @Test
    void controlByteInsideSequenceAbortsIt() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder, (ESC + "[1\u0001").getBytes(StandardCharsets.US_ASCII));
        assertThat(keys).containsExactly(new Key.Unknown(ESC + "[1"), Key.ctrl('A'));
    }

    @Test
    void longPasteArrivesInBoundedPiecesWithoutSplittingCharacters() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes((ESC + "[200~").getBytes(StandardCharsets.US_ASCII));
        var text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append(i % 7 == 0 ? "日" : "ab");
        }
        bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes((ESC + "[201~").getBytes(StandardCharsets.US_ASCII));
        var decoder = new KeyDecoder();
        var keys = decode(decoder, bytes.toByteArray());
        assertThat(keys.size()).isGreaterThan(1);
        var joined = new StringBuilder();
        for (Key k : keys) {
            String piece = ((Key.Paste) k).text();
            assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(KeyDecoder.MAX_PASTE_BYTES);
            assertThat(piece).doesNotContain("\uFFFD");
            joined.append(piece);
        }
        assertThat(joined.toString()).isEqualTo(text.toString());
    }

    @Test
    void unterminatedPasteIsDeliveredAfterItsTimeout() {
        var decoder = new KeyDecoder();
        var keys = decode(decoder, (ESC + "[200~half").getBytes(StandardCharsets.US_ASCII));
        assertThat(decoder.timeout()).isEqualTo(KeyDecoder.PASTE_TIMEOUT);
        decoder.expire(keys::add);
        assertThat(keys).containsExactly(new Key.Paste("half"));
    }
}
