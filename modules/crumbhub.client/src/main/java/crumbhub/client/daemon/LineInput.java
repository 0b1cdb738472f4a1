package crumbhub.client.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines (LF, with an optional CR before it) of at most {@code maxBytes}
 * bytes of UTF-8, without ever holding more than that: a longer line is reported as
 * {@link Line.TooLong} and skipped up to its end; a line that is not valid UTF-8 as
 * {@link Line.NotUtf8}. A last line without a newline counts. Blocking; one reader thread.
 */
public final class LineInput {
    /** One line of input, or why it cannot be used. */
    public sealed interface Line {
        record Text(String text) implements Line {
        }

        record TooLong(long bytes) implements Line {
        }

        record NotUtf8() implements Line {
        }

        /** The input ended (no more lines). */
        record End() implements Line {
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private byte[] line;
    private boolean ended;

    public LineInput(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.line = new byte[Math.min(maxBytes, 1024)];
    }

    public Line next() throws IOException {
        if (ended) {
            return new Line.End();
        }
        int length = 0;
        long total = 0;
        boolean any = false;
        for (;;) {
            if (pos == limit) {
                limit = in.read(buffer);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    ended = true;
                    if (!any) {
                        return new Line.End();
                    }
                    return finish(length, total);
                }
            }
            while (pos < limit) {
                byte b = buffer[pos++];
                any = true;
                if (b == '\n') {
                    return finish(length, total);
                }
                total++;
                if (total <= maxBytes) {
                    if (length == line.length) {
                        line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
                    }
                    line[length++] = b;
                }
            }
        }
    }

    private Line finish(int length, long total) {
        if (total > maxBytes) {
            return new Line.TooLong(total);
        }
        int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        try {
            return new Line.Text(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line, 0, n)).toString());
        } catch (CharacterCodingException e) {
            return new Line.NotUtf8();
        }
    }
}
