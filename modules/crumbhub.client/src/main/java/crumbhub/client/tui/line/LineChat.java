package crumbhub.client.tui.line;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ChatModel;
import crumbhub.client.tui.ChatOptions;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.tui.chat.ChatController;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.term.TerminalException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The chat without a screen, for when standard output is not a terminal or the terminal is dumb:
 * every line that appears in any conversation is printed as one line of text
 * ({@code 14:03 #general <alice> hello}), and each line read from standard input is handled as if
 * typed in the full-screen UI (commands start with {@code /}; other lines go to the conversation
 * last joined or messaged). End of input quits.
 *
 * <p>Threads as in the full-screen UI: a UI thread owns the state and prints; a reader thread
 * reads lines; session events arrive through {@link #post} from any thread.
 */
public final class LineChat implements ChatView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private sealed interface Work {
        record Line(String text) implements Work {
        }

        record Event(UiEvent event) implements Work {
        }

        record InputEnded() implements Work {
        }
    }

    private final InputStream in;
    private final PrintStream out;
    private final ChatModel model;
    private final ChatOptions options;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Throwable failure;

    public LineChat(InputStream in, PrintStream out, ChatModel model, ChatOptions options) {
        this.in = in;
        this.out = out;
        this.model = model;
        this.options = options;
    }

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

    /** Waits until the user quits (or input ends); rethrows, as a {@code TerminalException}, what failed. */
    public void awaitExit() throws InterruptedException {
        exited.await();
        rethrowFailure();
    }

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
            throw new TerminalException("the chat stopped: " + t, t);
        }
    }

    private void readerThread() {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null && running; line = reader.readLine()) {
                queue.add(new Work.Line(line));
            }
        } catch (IOException e) {
            out.println("-!- cannot read standard input: " + e.getMessage());
        } finally {
            queue.add(new Work.InputEnded());
        }
    }

    private void uiThread() {
        var state = new ChatState(options.scrollbackLimit(), options.clock());
        var controller = new ChatController(state, model);
        state.onLine(message -> print(message, state));
        try {
            model.attach(this);
            // reading starts after attach, so that piped commands meet the session's initial state
            Thread.ofPlatform().name("crumbhub-input").daemon().start(this::readerThread);
            boolean quit = false;
            while (!quit) {
                quit = switch (queue.take()) {
                    case Work.Line line -> controller.submit(line.text());
                    case Work.Event event -> {
                        state.apply(event.event());
                        yield false;
                    }
                    case Work.InputEnded ended -> {
                        controller.perform(new UserAction.Quit());
                        printQueuedEvents(state);
                        yield true;
                    }
                };
                out.flush();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            running = false;
            queue.clear();
            out.flush();
            exited.countDown();
        }
    }

    /** At the end, what the session already answered is still printed. */
    private void printQueuedEvents(ChatState state) {
        for (Work work = queue.poll(); work != null; work = queue.poll()) {
            if (work instanceof Work.Event event) {
                state.apply(event.event());
            }
        }
    }

    private void print(ChatMessage message, ChatState state) {
        out.println(format(message, options, state.user()));
    }

    /** One printed line (continuation lines indented) for a message. */
    static String format(ChatMessage message, ChatOptions options, String ownUser) {
        var sb = new StringBuilder(TIME.format(message.time().atZone(options.zone())));
        ConversationId where = message.conversation();
        if (!where.equals(ConversationId.STATUS)) {
            sb.append(' ').append(where.label());
        }
        sb.append(' ');
        switch (message.kind()) {
            case TEXT -> sb.append('<').append(message.from()).append("> ");
            case ACTION -> sb.append("* ").append(message.from()).append(' ');
            case NOTICE -> sb.append("-!- ");
            case ERROR -> sb.append("-!- error: ");
        }
        sb.append(message.text().replace("\n", "\n    "));
        if (message.pending()) {
            sb.append(" (pending)");
        }
        return sb.toString();
    }
}
