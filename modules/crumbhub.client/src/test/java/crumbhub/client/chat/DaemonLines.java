package crumbhub.client.chat;

import crumbhub.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A daemon's standard output as a queue of lines, for the loopback tests that play the bot. */
final class DaemonLines extends OutputStream {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final Duration wait;

    /** @param wait how long {@link #next} waits for its line */
    DaemonLines(Duration wait) {
        this.wait = wait;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(current.toString(StandardCharsets.UTF_8));
            current.reset();
        } else {
            current.write(b);
        }
    }

    /** The next line containing {@code containing}; the lines before it are dropped. */
    String next(String containing) {
        return Await.value(() -> {
            for (String line = lines.poll(); line != null; line = lines.poll()) {
                if (line.contains(containing)) {
                    return Optional.of(line);
                }
            }
            return Optional.<String>empty();
        }, wait, "a line containing " + containing);
    }
}
