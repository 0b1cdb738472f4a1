package crumbhub.client.cli;

import java.io.Console;

/** Reads secrets from the user's terminal without echo. Blocks the calling thread. */
public interface SecretPrompt {
    /** The terminal when there is none: {@link #readSecret} always gives null. */
    SecretPrompt NONE = prompt -> null;

    /**
     * Shows {@code prompt} and reads one line without echo.
     *
     * @return the characters (the caller zeroes them), or null if there is no terminal or it closed
     */
    char[] readSecret(String prompt);

    /** The process's terminal through {@link System#console()}, or {@link #NONE} if stdin/stdout are not one. */
    static SecretPrompt system() {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            return NONE;
        }
        return console::readPassword;
    }
}
