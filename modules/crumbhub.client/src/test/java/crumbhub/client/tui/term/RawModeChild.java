package crumbhub.client.tui.term;

import java.nio.charset.StandardCharsets;

/**
 * Run as a separate JVM by {@link PosixTerminalTest} with a pseudo-terminal as stdin and stdout:
 * opens the terminal in raw mode, says READY, then waits to be killed ({@code wait}) or dies of
 * an uncaught exception ({@code throw}).
 */
public final class RawModeChild {
    private RawModeChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        var terminal = PosixTerminal.open();
        terminal.write("READY".getBytes(StandardCharsets.US_ASCII));
        if (args.length > 0 && args[0].equals("throw")) {
            Thread.sleep(200); // child program: the parent test watches it die a moment after READY
            throw new IllegalStateException("boom (expected by the test)");
        }
        Thread.sleep(30_000); // child program: stays in raw mode until the parent test kills it
    }
}
