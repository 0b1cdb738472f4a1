package crumbhub.client.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command touches outside the home directory, passed in so tests run commands
 * in-process with captured output: standard streams, the environment, the terminal, the clock.
 *
 * @param in       standard input ({@code --password-stdin})
 * @param out      standard output, UTF-8; commands flush after each line
 * @param err      standard error, UTF-8: errors and notices
 * @param env      environment variables ({@code CRUMBHUB_HOME}, {@code CRUMBHUB_PASSPHRASE}, {@code HOME})
 * @param terminal where passwords are typed; {@link SecretPrompt#NONE} when there is no terminal
 * @param clock    for timeouts
 * @param zone     local time zone for human-readable times
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, SecretPrompt terminal,
                 Clock clock, ZoneId zone) {
    public Io {
        Objects.requireNonNull(in);
        Objects.requireNonNull(out);
        Objects.requireNonNull(err);
        env = Map.copyOf(env);
        Objects.requireNonNull(terminal);
        Objects.requireNonNull(clock);
        Objects.requireNonNull(zone);
    }

    public String env(String name) {
        return env.get(name);
    }
}
