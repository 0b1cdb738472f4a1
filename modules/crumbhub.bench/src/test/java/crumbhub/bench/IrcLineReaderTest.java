package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IrcLineReaderTest {
    private final ByteBuffer shared = ByteBuffer.allocate(64 * 1024);
    private final IrcLineReader reader = new IrcLineReader();
    private final List<String> lines = new ArrayList<>();

    private void feed(byte[] bytes, int from, int to) {
        reader.prepare(shared);
        shared.put(bytes, from, to - from);
        reader.consume(shared, (a, s, e) -> lines.add(new String(a, s, e - s, StandardCharsets.UTF_8)));
    }

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        feed(b, 0, b.length);
    }

    @Test
    void everySplitPointGivesTheSameLines() {
        String input = ":srv 001 bench0 :Welcome\r\nPING :abc\r\n:a!b@c PRIVMSG #r :CHB1xyz\nNOTICE x :é\r\n";
        byte[] b = input.getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of(":srv 001 bench0 :Welcome", "PING :abc", ":a!b@c PRIVMSG #r :CHB1xyz",
                "NOTICE x :é");
        for (int cut = 0; cut <= b.length; cut++) {
            lines.clear();
            var r = new IrcLineReader();
            for (int[] part : new int[][] {{0, cut}, {cut, b.length}}) {
                r.prepare(shared);
                shared.put(b, part[0], part[1] - part[0]);
                r.consume(shared, (a, s, e) -> lines.add(new String(a, s, e - s, StandardCharsets.UTF_8)));
            }
            assertThat(lines).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] b = "PING :1\r\nPING :2\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) {
            feed(b, i, i + 1);
        }
        assertThat(lines).containsExactly("PING :1", "PING :2");
    }

    @Test
    void anOverlongLineIsDroppedAndTheNextOneStillArrives() {
        feed("x".repeat(IrcLineReader.MAX_LINE + 10));
        feed("y".repeat(100));
        feed("\r\nPING :after\r\n");
        assertThat(lines).containsExactly("PING :after");
        assertThat(reader.dropped()).isEqualTo(1);
    }

    @Test
    void aSinkCanStopReading() {
        reader.prepare(shared);
        shared.put("A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII));
        reader.consume(shared, (a, s, e) -> {
            lines.add(new String(a, s, e - s, StandardCharsets.US_ASCII));
            return false;
        });
        assertThat(lines).containsExactly("A");
    }

    @Test
    void findsWordsAndSubstrings() {
        byte[] a = ":n!u@h PRIVMSG #c :text".getBytes(StandardCharsets.US_ASCII);
        assertThat(IrcLineReader.is(a, 7, 14, "PRIVMSG")).isTrue();
        assertThat(IrcLineReader.is(a, 7, 13, "PRIVMSG")).isFalse();
        assertThat(IrcLineReader.indexOf(a, 14, a.length, " :")).isEqualTo(17);
        assertThat(IrcLineReader.indexOf(a, 0, 5, " :")).isEqualTo(-1);
    }
}
