package crumbhub.client.tui;

import crumbhub.client.model.ChatModel;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.tui.chat.ChatCompleter;
import crumbhub.client.tui.chat.ChatController;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.input.History;
import crumbhub.client.tui.input.Key;
import crumbhub.client.tui.input.Key.KeyName;
import crumbhub.client.tui.input.KeyDecoder;
import crumbhub.client.tui.input.LineEditor;
import crumbhub.client.tui.term.Display;
import crumbhub.client.tui.term.Terminal;
import crumbhub.client.tui.term.TerminalException;
import crumbhub.client.tui.term.TerminalSize;
import crumbhub.client.tui.view.ChatRenderer;
import crumbhub.client.tui.view.Layout;
import crumbhub.client.tui.view.Theme;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The full-screen chat: wires a {@link Terminal}, the key decoder, the line editor, the renderer
 * and a {@link ChatModel}.
 *
 * <p>Threads: a UI thread owns every piece of UI state (the state, the editor, the display);
 * an input thread only reads the terminal. Everything reaches the UI thread through one queue:
 * input bytes, session events ({@link #post}, from any thread). The UI thread takes what is
 * queued, applies it all, then draws at most one frame (one write). It also wakes up to finish
 * a pending Esc sequence, to check the terminal size and to tick the clock and the reconnect
 * countdown.
 *
 * <pre>
 *   start() ──► UI thread: attach model, draw ──► loop { take queue; apply; draw } ──► quit
 *                                                    ▲           │ restore terminal
 *   input thread: terminal.read ──► queue ───────────┘           ▼
 *   session threads: post(event) ──► queue                 awaitExit() returns
 * </pre>
 * The bell rings on a mention of the user's nick, and on a direct message when the user is
 * looking at another conversation.
 */
public final class ChatApp implements ChatView {
    /** How long the input thread blocks in one read, so that it notices the end promptly. */
    private static final Duration READ_SLICE = Duration.ofMillis(200);
    /** Clock tick when nothing counts down: the status line shows minutes. */
    private static final long TICK_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long COUNTDOWN_TICK_NANOS = Duration.ofMillis(250).toNanos();
    /** Work items applied before a frame is drawn, so that a flood of events still lets frames through. */
    private static final int BATCH = 4096;

    private sealed interface Work {
        record Input(byte[] bytes) implements Work {
        }

        record Event(UiEvent event) implements Work {
        }

        record InputEnded() implements Work {
        }
    }

    private final Terminal terminal;
    private final ChatModel model;
    private final ChatOptions options;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Throwable failure;

    // UI thread only
    private final ChatState state;
    private final ChatController controller;
    private final LineEditor editor;
    private final KeyDecoder decoder = new KeyDecoder();
    private final ChatRenderer renderer;
    private final Display display;
    private TerminalSize size;
    private boolean dirty = true;
    private boolean bell;
    private boolean quit;
    private long escapeDeadline;
    private final LongSupplier nanoTime;

    public ChatApp(Terminal terminal, ChatModel model, ChatOptions options) {
        this(terminal, model, options, System::nanoTime);
    }

    /**
     * @param nanoTime the UI thread's monotonic clock (the Esc timeout, size polls, redraw ticks);
     *                 tests move it by hand
     */
    ChatApp(Terminal terminal, ChatModel model, ChatOptions options, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.terminal = terminal;
        this.model = model;
        this.options = options;
        this.state = new ChatState(options.scrollbackLimit(), options.clock());
        state.zone(options.zone());
        this.controller = new ChatController(state, model);
        this.editor = new LineEditor(new ChatCompleter(state), new History(options.historyLimit()));
        this.renderer = new ChatRenderer(new Theme(options.colours()), options.zone());
        this.display = new Display(terminal, options.colours());
    }

    /**
     * Starts the UI thread, which attaches the model and then starts the input thread. The
     * terminal is restored when the UI ends, however it ends.
     */
    public void start() {
        running = true;
        Thread.ofPlatform().name("crumbhub-ui").start(this::uiThread);
    }

    @Override
    public void post(UiEvent event) {
        if (running) {
            queue.add(new Work.Event(event));
        }
    }

    /** Waits until the user quits. Rethrows, as a {@link TerminalException}, what made the UI fail. */
    public void awaitExit() throws InterruptedException {
        exited.await();
        rethrowFailure();
    }

    /** Like {@link #awaitExit()} with a bound; returns false if the UI is still running. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean done = exited.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (done) {
            rethrowFailure();
        }
        return done;
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t != null) {
            throw new TerminalException("the chat screen stopped: " + t, t);
        }
    }

    private void inputThread() {
        var buffer = new byte[4096];
        try {
            while (running) {
                int n = terminal.read(buffer, READ_SLICE);
                if (n < 0) {
                    queue.add(new Work.InputEnded());
                    return;
                }
                if (n > 0) {
                    queue.add(new Work.Input(java.util.Arrays.copyOf(buffer, n)));
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            queue.add(new Work.InputEnded());
        }
    }

    private void uiThread() {
        try {
            size = terminal.size();
            model.attach(this);
            Thread.ofPlatform().name("crumbhub-input").daemon().start(this::inputThread);
            draw();
            long nextSizePoll = nanoTime.getAsLong() + options.sizePoll().toNanos();
            long nextTick = nanoTime.getAsLong() + tickNanos();
            while (!quit) {
                long now = nanoTime.getAsLong();
                long wake = Math.min(nextSizePoll, nextTick);
                if (decoder.pending()) {
                    wake = Math.min(wake, escapeDeadline);
                }
                Work work = queue.poll(Math.max(0, wake - now), TimeUnit.NANOSECONDS);
                for (int n = 0; work != null && !quit; n++) {
                    handle(work);
                    work = n < BATCH ? queue.poll() : null;
                }
                now = nanoTime.getAsLong();
                if (decoder.pending() && now - escapeDeadline >= 0) {
                    decoder.expire(this::onKey);
                }
                if (now - nextSizePoll >= 0) {
                    TerminalSize current = terminal.size();
                    if (!current.equals(size)) {
                        size = current;
                        dirty = true;
                    }
                    nextSizePoll = now + options.sizePoll().toNanos();
                }
                if (now - nextTick >= 0) {
                    dirty = true;
                    nextTick = now + tickNanos();
                }
                if ((dirty || bell) && !quit) {
                    draw();
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            running = false;
            queue.clear();
            try {
                terminal.close();
            } finally {
                exited.countDown();
            }
        }
    }

    private long tickNanos() {
        return state.connection() instanceof ConnectionState.Offline o && o.retryAt().isPresent()
                ? COUNTDOWN_TICK_NANOS : TICK_NANOS;
    }

    private void handle(Work work) {
        switch (work) {
            case Work.Input input -> {
                decoder.feed(input.bytes(), this::onKey);
                if (decoder.pending()) {
                    escapeDeadline = nanoTime.getAsLong() + decoder.timeout().toNanos();
                }
            }
            case Work.Event event -> {
                bell |= state.apply(event.event());
                dirty = true;
            }
            case Work.InputEnded ended -> quit();
        }
    }

    private void quit() {
        if (!quit) {
            quit = true;
            controller.perform(new UserAction.Quit());
        }
    }

    private void onKey(Key key) {
        dirty = true;
        if (globalKey(key)) {
            return;
        }
        if (editor.handle(key) instanceof LineEditor.Submitted submitted) {
            state.current().follow();
            if (controller.submit(submitted.line())) {
                quit = true;
            }
        }
    }

    /** Keys that act on the whole screen rather than the input line. */
    private boolean globalKey(Key key) {
        Layout layout = renderer.layout();
        int page = layout == null ? 1 : Math.max(1, layout.paneHeight() - 1);
        switch (key) {
            case Key.Ctrl c when c.letter() == 'C' -> quit();
            case Key.Ctrl c when c.letter() == 'L' -> display.invalidate();
            case Key.Ctrl c when c.letter() == 'N' -> state.cycle(1);
            case Key.Ctrl c when c.letter() == 'P' -> state.cycle(-1);
            case Key.Named n when n.name() == KeyName.PAGE_UP && layout != null -> {
                renderer.pane().scrollUp(state.current(), page, layout.paneWidth(), layout.paneHeight());
                if (renderer.pane().showsFirst(state.current(), layout.paneWidth(), layout.paneHeight())) {
                    controller.loadOlder(state.current()); // the answer is added above, PageUp goes on
                }
            }
            case Key.Named n when n.name() == KeyName.PAGE_DOWN && layout != null ->
                    renderer.pane().scrollDown(state.current(), page, layout.paneWidth());
            case Key.Named n when n.name() == KeyName.LEFT && n.modifiers() == Key.ALT -> state.cycle(-1);
            case Key.Named n when n.name() == KeyName.RIGHT && n.modifiers() == Key.ALT -> state.cycle(1);
            case Key.Alt a when a.key() instanceof Key.Named n && n.name() == KeyName.LEFT -> state.cycle(-1);
            case Key.Alt a when a.key() instanceof Key.Named n && n.name() == KeyName.RIGHT -> state.cycle(1);
            case Key.Alt a when a.key() instanceof Key.Char c && c.codePoint() >= '0' && c.codePoint() <= '9' ->
                    state.focusIndex(c.codePoint() == '0' ? 9 : c.codePoint() - '1');
            case Key.Alt a when a.key() instanceof Key.Char c && (c.codePoint() == 'a' || c.codePoint() == 'A') ->
                    state.focusNextActive();
            default -> {
                return false;
            }
        }
        return true;
    }

    private void draw() {
        var frame = display.frame(size);
        var cursor = renderer.render(state, editor, frame, options.clock().instant());
        display.present(frame, cursor.row(), cursor.col(), bell);
        bell = false;
        dirty = false;
    }
}
