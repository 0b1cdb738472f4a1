package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.home.Home;
import crumbhub.client.home.KeyFile;

import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * One command invocation: its parsed arguments, the process I/O, and the home directory
 * (opened on first use, closed with the context). Lives on the command's thread.
 */
final class Context implements AutoCloseable {
    static final String HOME_ENV = "CRUMBHUB_HOME";

    final ParsedCommand command;
    final Io io;
    final SecureRandom rng;
    private final int passphraseIterations;
    private Home home;
    private crumbhub.client.chat.HistoryRecorder recorder;
    private crumbhub.client.backup.HistoryTap historyTap = crumbhub.client.backup.HistoryTap.NONE;

    Context(ParsedCommand command, Io io, SecureRandom rng, int passphraseIterations) {
        this.command = command;
        this.io = io;
        this.rng = rng;
        this.passphraseIterations = passphraseIterations;
    }

    Context(ParsedCommand command, Io io) {
        this(command, io, new SecureRandom(), KeyFile.DEFAULT_ITERATIONS);
    }

    /** {@code --home}, else {@code $CRUMBHUB_HOME}, else {@code ~/.crumbhub}. */
    Path homeDir() {
        if (command.home().isPresent()) {
            return command.home().get();
        }
        String env = io.env(HOME_ENV);
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String userHome = io.env("HOME");
        if (userHome == null || userHome.isEmpty()) {
            userHome = System.getProperty("user.home");
        }
        if (userHome == null || userHome.isEmpty()) {
            throw ClientException.usage("no home directory known: use --home DIR or set " + HOME_ENV);
        }
        return Path.of(userHome, ".crumbhub");
    }

    Home home() {
        if (home == null) {
            home = Home.open(homeDir(), Secrets.storePassphrase(io), rng, passphraseIterations);
        }
        return home;
    }

    /**
     * The end-to-end layer of the stored session's device; warnings go to stderr. Attach a
     * session before sealing or maintaining.
     */
    crumbhub.client.e2e.E2eClient e2e() {
        var record = home().session();
        return withWitness(crumbhub.client.e2e.E2eClient.create(home(), record.user(), record.deviceId(), rng, io.clock(),
                this::notice));
    }

    /** Environment variable naming the directory of send-counter witnesses (docs/client.md, "Rolled-back home directories"). */
    static final String STATE_ENV = "CRUMBHUB_STATE_DIR";

    /**
     * Where the send-counter witnesses live, outside every home directory: {@code $CRUMBHUB_STATE_DIR},
     * else {@code $XDG_STATE_HOME/crumbhub}, else {@code $HOME/.local/state/crumbhub}; empty when
     * none is set (then a rewound home is not noticed).
     */
    java.util.Optional<Path> stateDir() {
        String dir = io.env(STATE_ENV);
        if (dir != null && !dir.isEmpty()) {
            return java.util.Optional.of(Path.of(dir));
        }
        String xdg = io.env("XDG_STATE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return java.util.Optional.of(Path.of(xdg, "crumbhub"));
        }
        String userHome = io.env("HOME");
        if (userHome != null && !userHome.isEmpty()) {
            return java.util.Optional.of(Path.of(userHome, ".local", "state", "crumbhub"));
        }
        return java.util.Optional.empty();
    }

    /** {@code e2e} with this context's send-counter witness directory, if one is known. */
    crumbhub.client.e2e.E2eClient withWitness(crumbhub.client.e2e.E2eClient e2e) {
        stateDir().ifPresent(e2e::rollbackWitness);
        return e2e;
    }

    /** The account's history (opened on first use, closed with the context). */
    crumbhub.client.chat.HistoryStore history() {
        return recorder().store();
    }

    /** Records what this command receives or sends in the account's history. */
    crumbhub.client.chat.HistoryRecorder recorder() {
        if (recorder == null) {
            var record = home().session();
            recorder = new crumbhub.client.chat.HistoryRecorder(openHistory(home(), record, rng), record.user());
            recorder.tap(historyTap);
        }
        return recorder;
    }

    /** Sends what {@link #recorder} records to {@code tap} too (the history backup), whenever the recorder is opened. */
    void tapHistory(crumbhub.client.backup.HistoryTap tap) {
        historyTap = tap;
        if (recorder != null) {
            recorder.tap(tap);
        }
    }

    /** Opens the history of the session's account (server key and user) in {@code home}. */
    static crumbhub.client.chat.HistoryStore openHistory(Home home, crumbhub.client.home.SessionRecord record,
                                                        SecureRandom rng) {
        byte[] key = home.historyKey();
        try {
            return crumbhub.client.chat.HistoryStore.open(home.historyDir(), key,
                    record.server().key() + " " + record.user(), rng, crumbhub.client.chat.HistoryStore.DEFAULT_LIMIT);
        } finally {
            crumbhub.crypto.Bytes.zero(key);
        }
    }

    /** A line of output for the user or a script; flushed at once. */
    void println(String line) {
        io.out().println(line);
        io.out().flush();
    }

    /** A notice on stderr (not an error): pinning, replaced sessions. */
    void notice(String line) {
        io.err().println(CommandLine.PROGRAM + ": " + line);
        io.err().flush();
    }

    /** A line on stderr only with {@code --debug}. */
    void debug(String line) {
        if (command.debug()) {
            notice(line);
        }
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.close();
            recorder = null;
        }
        if (home != null) {
            home.close();
        }
    }
}
