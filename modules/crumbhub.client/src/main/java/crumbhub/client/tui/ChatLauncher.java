package crumbhub.client.tui;

import crumbhub.client.model.ChatModel;
import crumbhub.client.tui.line.LineChat;
import crumbhub.client.tui.term.PosixTerminal;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Starts {@code crumbhub-client chat}: the full-screen UI when standard input and output are a
 * terminal and {@code TERM} names a capable one, otherwise the plain line mode.
 */
public final class ChatLauncher {
    public enum Mode { FULL_SCREEN, LINE }

    private ChatLauncher() {
    }

    /** Full screen only on a real terminal (stdin and stdout), with {@code TERM} set and not {@code dumb}. */
    public static Mode chooseMode(Map<String, String> env) {
        String term = env.getOrDefault("TERM", "");
        if (term.isEmpty() || term.equals("dumb")) {
            return Mode.LINE;
        }
        return PosixTerminal.isTerminal(0) && PosixTerminal.isTerminal(1) ? Mode.FULL_SCREEN : Mode.LINE;
    }

    /**
     * Runs the chat on this process's terminal (or standard streams) until the user quits.
     * Blocks the calling thread. Throws {@code TerminalException} if the terminal cannot be set up
     * or fails; the terminal is restored in every case.
     */
    public static void run(ChatModel model, Map<String, String> env, InputStream in, PrintStream out)
            throws InterruptedException {
        var options = ChatOptions.fromEnvironment(env);
        if (chooseMode(env) == Mode.FULL_SCREEN) {
            var app = new ChatApp(PosixTerminal.open(), model, options);
            app.start();
            app.awaitExit();
        } else {
            var chat = new LineChat(in, out, model, options);
            chat.start();
            chat.awaitExit();
        }
    }

    /** {@link #run(ChatModel, Map, InputStream, PrintStream)} on System.in/out and the real environment. */
    public static void run(ChatModel model) throws InterruptedException {
        run(model, System.getenv(), System.in, System.out);
    }
}
