package crumbhub.client.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineInputTest {
    private static List<LineInput.Line> lines(byte[] input, int max) throws IOException {
        var in = new LineInput(new ByteArrayInputStream(input), max);
        var out = new ArrayList<LineInput.Line>();
        for (var l = in.next(); !(l instanceof LineInput.Line.End); l = in.next()) {
            out.add(l);
        }
        return out;
    }

    @Test
    void splitsOnNewlinesDropsCarriageReturnsAndKeepsALastLineWithoutNewline() throws IOException {
        assertThat(lines("a\r\nb\n\nlast".getBytes(), 100)).containsExactly(new LineInput.Line.Text("a"),
                new LineInput.Line.Text("b"), new LineInput.Line.Text(""), new LineInput.Line.Text("last"));
        assertThat(lines(new byte[0], 100)).isEmpty();
    }

    @Test
    void aLineOverTheLimitIsReportedAndSkippedWithoutHoldingIt() throws IOException {
        byte[] input = ("ok\n" + "x".repeat(100_000) + "\nnext\n").getBytes();
        assertThat(lines(input, 1000)).containsExactly(new LineInput.Line.Text("ok"),
                new LineInput.Line.TooLong(100_000), new LineInput.Line.Text("next"));
        assertThat(lines("12345\n".getBytes(), 5)).containsExactly(new LineInput.Line.Text("12345"));
    }

    @Test
    void invalidUtf8IsReportedPerLine() throws IOException {
        byte[] input = {'a', '\n', (byte) 0xc3, '(', '\n', (byte) 0xe2, (byte) 0x98, (byte) 0x83, '\n'};
        assertThat(lines(input, 100)).containsExactly(new LineInput.Line.Text("a"), new LineInput.Line.NotUtf8(),
                new LineInput.Line.Text("☃"));
    }

    @Test
    void readsByteByByteAsWellAsInBlocks() throws IOException {
        InputStream slow = new InputStream() {
            private final byte[] data = "one\ntwo\n".getBytes();
            private int i;

            @Override
            public int read() {
                return i < data.length ? data[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        var in = new LineInput(slow, 10);
        assertThat(in.next()).isEqualTo(new LineInput.Line.Text("one"));
        assertThat(in.next()).isEqualTo(new LineInput.Line.Text("two"));
        assertThat(in.next()).isInstanceOf(LineInput.Line.End.class);
        assertThat(in.next()).isInstanceOf(LineInput.Line.End.class);
    }
}
