package crumbhub.client.tui;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.tui.chat.ChatCompleter;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.input.History;
import crumbhub.client.tui.input.KeyDecoder;
import crumbhub.client.tui.input.LineEditor;
import crumbhub.client.tui.term.Display;
import crumbhub.client.tui.term.Terminal;
import crumbhub.client.tui.term.TerminalSize;
import crumbhub.client.tui.view.ChatRenderer;
import crumbhub.client.tui.view.Theme;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Measures the chat UI's cost with 10,000 messages in the scrollback (not a test; run by hand):
 * {@code java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes crumbhub.client.tui.ChatPerf}.
 *
 * <ol>
 *   <li>keystroke to frame, in process: decode a key, edit, draw, diff, write (one thread);</li>
 *   <li>keystroke to frame through {@link ChatApp}: from the input thread's read to the frame's write;</li>
 *   <li>a full redraw (Ctrl-L or resize) with laid-out rows cached, and with a new width (all visible rows laid out again);</li>
 *   <li>PageUp through the scrollback; a message arriving.</li>
 * </ol>
 * Frames go to a terminal that only counts bytes, so the figures are the UI's own cost.
 */
public final class ChatPerf {
    private static final int MESSAGES = 10_000;

    private ChatPerf() {
    }

    /** Counts what would be written; optionally reports each write's time to a queue. */
    private static final class CountingTerminal implements Terminal {
        private volatile TerminalSize size;
        final BlockingQueue<byte[]> input = new ArrayBlockingQueue<>(16);
        final BlockingQueue<Long> writes = new ArrayBlockingQueue<>(100_000);
        volatile boolean report;
        long bytes;
        long frames;

        CountingTerminal(int columns, int rows) {
            size = new TerminalSize(columns, rows);
        }

        @Override
        public TerminalSize size() {
            return size;
        }

        @Override
        public int read(byte[] buffer, Duration timeout) {
            try {
                byte[] b = input.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (b == null) {
                    return 0;
                }
                System.arraycopy(b, 0, buffer, 0, b.length);
                return b.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void write(byte[] data) {
            bytes += data.length;
            frames++;
            if (report) {
                writes.add(System.nanoTime());
            }
        }

        @Override
        public void close() {
            // nothing to restore
        }
    }

    private record Pipeline(ChatState state, LineEditor editor, KeyDecoder decoder, ChatRenderer renderer,
                            Display display, CountingTerminal terminal, Clock clock) {
        void frame() {
            var f = display.frame(terminal.size());
            var cursor = renderer.render(state, editor, f, clock.instant());
            display.present(f, cursor.row(), cursor.col(), false);
        }
    }

    private static Pipeline pipeline(int columns, int rows) {
        var clock = Clock.systemUTC();
        var state = new ChatState(ChatOptions.DEFAULT_SCROLLBACK, clock);
        var model = new DemoModel("me", clock, MESSAGES);
        model.attach(state::apply);
        var terminal = new CountingTerminal(columns, rows);
        var p = new Pipeline(state, new LineEditor(new ChatCompleter(state), new History(500)), new KeyDecoder(),
                new ChatRenderer(new Theme(true), ZoneOffset.UTC), new Display(terminal, true), terminal, clock);
        p.frame();
        return p;
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.printf(Locale.ROOT, "java %s, %d cores, %,d messages in #general%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), MESSAGES);
        for (int[] size : new int[][] {{80, 24}, {200, 60}}) {
            inProcess(size[0], size[1]);
        }
        throughChatApp(200, 60);
    }

    private static void inProcess(int columns, int rows) {
        var p = pipeline(columns, rows);
        System.out.printf(Locale.ROOT, "%n-- %dx%d terminal --%n", columns, rows);
        byte[] keys = "the quick brown fox jumps over the lazy dog ".getBytes(StandardCharsets.UTF_8);
        for (int warm = 0; warm < 20_000; warm++) {
            key(p, keys[warm % keys.length]);
        }
        int n = 20_000;
        long[] t = new long[n];
        long bytesBefore = p.terminal().bytes;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            key(p, keys[i % keys.length]);
            t[i] = System.nanoTime() - t0;
        }
        report("keystroke to frame (in process)", t, (p.terminal().bytes - bytesBefore) / n);

        long[] full = new long[500];
        bytesBefore = p.terminal().bytes;
        for (int i = 0; i < full.length; i++) {
            long t0 = System.nanoTime();
            p.display().invalidate();
            p.frame();
            full[i] = System.nanoTime() - t0;
        }
        report("full redraw, rows cached", full, (p.terminal().bytes - bytesBefore) / full.length);

        long[] relayout = new long[500];
        for (int i = 0; i < relayout.length; i++) {
            p.terminal().size = new TerminalSize(columns - (i % 2), rows);
            long t0 = System.nanoTime();
            p.frame();
            relayout[i] = System.nanoTime() - t0;
        }
        report("full redraw, new width (resize)", relayout, -1);
        p.terminal().size = new TerminalSize(columns, rows);
        p.frame();

        var pane = p.renderer().pane();
        var layout = p.renderer().layout();
        long[] pages = new long[2000];
        for (int i = 0; i < pages.length; i++) {
            long t0 = System.nanoTime();
            pane.scrollUp(p.state().current(), layout.paneHeight() - 1, layout.paneWidth(), layout.paneHeight());
            p.frame();
            pages[i] = System.nanoTime() - t0;
        }
        report("PageUp and frame", pages, -1);
        p.state().current().follow();

        var general = ConversationId.room("general");
        long[] arrivals = new long[5000];
        for (int i = 0; i < arrivals.length; i++) {
            long t0 = System.nanoTime();
            p.state().apply(new UiEvent.MessageReceived(ChatMessage.text("perf-" + i, general, "bob",
                    p.clock().instant(), "a new message number " + i + " arrives in the room")));
            p.frame();
            arrivals[i] = System.nanoTime() - t0;
        }
        report("message arrives and frame", arrivals, -1);
    }

    private static void key(Pipeline p, byte b) {
        p.decoder().feed(new byte[] {b}, p.editor()::handle);
        if (p.editor().text().length() > 60) {
            p.editor().setText("");
        }
        p.frame();
    }

    /** From the input thread handing over a key to the frame being written, with real threads. */
    private static void throughChatApp(int columns, int rows) throws InterruptedException {
        var terminal = new CountingTerminal(columns, rows);
        var clock = Clock.systemUTC();
        var app = new ChatApp(terminal, new DemoModel("me", clock, MESSAGES),
                new ChatOptions(clock, ZoneOffset.UTC, true, 500, ChatOptions.DEFAULT_SCROLLBACK, Duration.ofMillis(250)));
        app.start();
        Thread.sleep(1000); // hand-run measurement, not a test: let the first frame and JIT settle before timing
        terminal.report = true;
        int n = 3000;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            terminal.writes.clear();
            long t0 = System.nanoTime();
            terminal.input.put(new byte[] {(byte) (i % 50 == 49 ? 0x15 : 'a' + i % 26)});
            Long written = terminal.writes.poll(5, TimeUnit.SECONDS);
            if (written == null) {
                throw new IllegalStateException("no frame for key " + i);
            }
            t[i] = written - t0;
            Thread.sleep(1); // hand-run measurement: keys spaced like typing, not a burst
        }
        terminal.input.put(new byte[] {3});
        app.awaitExit(Duration.ofSeconds(10));
        System.out.printf(Locale.ROOT, "%n-- through ChatApp threads, %dx%d --%n", columns, rows);
        report("keystroke to frame (input thread -> UI thread -> write)", Arrays.copyOfRange(t, 500, n), -1);
    }

    private static void report(String what, long[] nanos, long bytesPerFrame) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-56s p50 %7.1f us  p99 %7.1f us  max %8.1f us%s%n", what,
                s[s.length / 2] / 1e3, s[(int) (s.length * 0.99)] / 1e3, s[s.length - 1] / 1e3,
                bytesPerFrame >= 0 ? "  " + bytesPerFrame + " bytes/frame" : "");
    }
}
