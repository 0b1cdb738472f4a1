package crumbhub.client.tui.term;

import java.time.Duration;

/**
 * A full-screen terminal in raw mode: bytes in (key presses, undecoded), bytes out (escape
 * sequences and text). {@link PosixTerminal} is the real one; tests use an in-memory one.
 *
 * <p>Threads: {@link #read} is called by one input thread; {@link #write} and {@link #size} by the
 * UI thread; {@link #close} by anyone, any number of times.
 */
public interface Terminal extends AutoCloseable {
    /** The current size; cheap enough to poll a few times a second. */
    TerminalSize size();

    /**
     * Reads whatever input is available into {@code buffer}, waiting at most {@code timeout} for
     * some. Returns the number of bytes read, 0 if none came in time, -1 once input has ended.
     */
    int read(byte[] buffer, Duration timeout);

    /** Writes {@code bytes} completely, as one frame. */
    void write(byte[] bytes);

    /** Leaves raw mode and the alternate screen, shows the cursor. Idempotent. */
    @Override
    void close();
}
