package crumbhub.server;

import crumbhub.wire.log.LogFormat;
import crumbhub.wire.log.LogSettings;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.InviteLinks;
import crumbhub.wire.InviteLink;
import crumbhub.server.config.ConfigException;
import crumbhub.server.config.Durations;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns the command line, the environment and an optional properties file into one
 * {@link Invocation}. Every setting has a key ({@code log.format}); its flag is {@code --} + the
 * key with dots as dashes ({@code --log-format}), its environment variable {@code CRUMBHUB_} +
 * the key in upper case with dots as underscores ({@code CRUMBHUB_LOG_FORMAT}), and its file key
 * is the key itself. A flag wins over the environment, which wins over the file (named by
 * {@code --config} or {@code CRUMBHUB_CONFIG}), which wins over the default. A bad value is
 * refused with one sentence naming where it came from.
 */
public final class CommandLine {

    /** One setting of the server: how it is spelt in each source, its default and what it does. */
    public record Setting(String key, String metavar, String defaultText, String help) {
        public String flag() {
            return "--" + key.replace('.', '-');
        }

        public String env() {
            return "CRUMBHUB_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }

    /** Every setting, in the order {@code --help} lists them: the server's own, then its limits. */
    public static final List<Setting> SETTINGS = withLimits(
            new Setting("data", "DIR", ServerOptions.DEFAULT_DATA, "data directory: store, server key, admin socket"),
            new Setting("listen", "HOST:PORT", ServerOptions.DEFAULT_LISTEN, "address for clients; port 0 picks a free one"),
            new Setting("advertise", "HOST:PORT", "the listen address", "address clients connect to, put in invite links"),
            new Setting("registration", "MODE", "invite", "who may create accounts: open, invite or closed"),
            new Setting("metrics", "HOST:PORT", "off", "local address serving /metrics and /health"),
            new Setting("retention", "DURATION", "30d", "how long a message waits for devices to fetch it"),
            new Setting("log.format", "text|json", "text", "log line format on stderr"),
            new Setting("log.level", "LEVEL", "info", "lowest level logged: debug, info, warn, error or off"),
            new Setting("loop.threads", "N", "one per core", "network threads, 1..1024"),
            new Setting("hash.threads", "N", "half the cores, at most 4", "password hashing threads, 1..64"));

    private static List<Setting> withLimits(Setting... own) {
        var all = new ArrayList<>(List.of(own));
        all.addAll(LimitSettings.SETTINGS);
        all.addAll(QuotaSettings.SETTINGS);
        all.addAll(FileSettings.SETTINGS);
        return List.copyOf(all);
    }

    /**
     * A subcommand: its word, its arguments as usage shows them, its options (for completion and
     * the manual page) and one sentence. {@code restore} runs while the server is stopped; the
     * others over the admin socket of the running server.
     */
    public record AdminCommand(String name, String args, List<Setting> options, String help) {
        public String usage() {
            return args.isEmpty() ? name : name + " " + args;
        }
    }

    /** The subcommands, in the order {@code --help} lists them; {@code restore} last. */
    public static final List<AdminCommand> ADMIN_COMMANDS = List.of(
            new AdminCommand("invite", "[--uses N] [--expires 7d] [--address HOST:PORT]", List.of(
                    new Setting("uses", "N", "1", "how many accounts the code can create"),
                    new Setting("expires", "DURATION", "7d", "how long the code works"),
                    new Setting("address", "HOST:PORT", "the advertised address", "where the link points")),
                    "print a new invite code and its crumbhub:// link (defaults: 1 use, 7d, the advertised address)"),
            new AdminCommand("users", "", List.of(), "list users"),
            new AdminCommand("ban", "USER", List.of(), "block a user (a ban closes their connections)"),
            new AdminCommand("unban", "USER", List.of(), "allow a banned user again"),
            new AdminCommand("devices", "USER", List.of(), "list a user's devices"),
            new AdminCommand("revoke", "USER DEVICE_ID", List.of(), "revoke one device, closing its connections"),
            new AdminCommand("fingerprint", "", List.of(), "print the server key's fingerprint"),
            new AdminCommand("backup", "DEST", List.of(),
                    "write a consistent copy of the server's state to the new or empty directory DEST"),
            new AdminCommand("restore", "BACKUP [--force] [--unsigned]", List.of(
                    new Setting("force", null, "off", "set aside an existing store and key first"),
                    new Setting("unsigned", null, "off", "accept a backup made before backups were signed")),
                    "make DIR a copy of the backup BACKUP; --force sets aside an existing store and key first;"
                    + " --unsigned accepts a backup made before backups were signed"));

    /** Where a command's help starts in {@code --help}. */
    private static final int HELP_COLUMN = 37;

    /** The file key is not a setting of its own: it names the file. */
    static final Setting CONFIG = new Setting("config", "FILE", "none", "properties file with the keys above");

    public static final String HELP = help();

    /** What the process should do. */
    public sealed interface Invocation {}

    public record Run(ServerOptions options) implements Invocation {}

    public record Help() implements Invocation {}

    /** Print the server's version and the Java runtime's. */
    public record ShowVersion() implements Invocation {}

    /** Print the manual page ({@code --man}) or a completion script ({@code --completion SHELL}, else null). */
    public record ShowManual(String shell) implements Invocation {}

    public record Admin(Path dataDir, AdminRequest request) implements Invocation {}

    /** Restore a backup into a stopped server's data directory. */
    public record Restore(Path dataDir, Path backup, boolean force, boolean unsigned) implements Invocation {
        public Restore(Path dataDir, Path backup, boolean force) {
            this(dataDir, backup, force, false);
        }
    }

    /** A value and where it came from, for error messages. */
    record Value(String text, String source) {}

    private CommandLine() {}

    private static String help() {
        var b = new StringBuilder("""
                Usage: crumbhub-server [OPTIONS]                 run the server
                       crumbhub-server [--data DIR] COMMAND ...   manage a server

                Options (a flag beats its environment variable, which beats the config file):
                """);
        var all = new ArrayList<>(SETTINGS);
        all.add(CONFIG);
        for (Setting s : all) {
            b.append(String.format("  %-22s %s%n", s.flag() + " " + s.metavar(), s.help()));
            b.append(String.format("      %s, file key %s, default: %s%n", s.env(), s == CONFIG ? "-" : s.key(),
                    s.defaultText()));
        }
        b.append(String.format("  %-22s %s%n", "--version", "print the version of the server and of its Java runtime"));
        b.append(String.format("  %-22s %s%n", "--man", "print the manual page (roff)"));
        b.append(String.format("  %-22s %s%n", "--completion SHELL", "print the completion script for bash, zsh or fish"));
        b.append(String.format("  %-22s %s%n", "-h, --help", "show this help"));
        b.append("\nCommands, while the server runs (over DIR/admin.sock):\n");
        for (AdminCommand c : ADMIN_COMMANDS) {
            if (c.name().equals("restore")) {
                b.append("Commands, while the server is stopped:\n");
            }
            String head = "  " + c.usage();
            b.append(head);
            int column = head.length();
            if (column > HELP_COLUMN - 2) {
                b.append('\n');
                column = 0;
            }
            var line = new StringBuilder(" ".repeat(HELP_COLUMN - column));
            for (String word : c.help().split(" ")) {
                if (column + line.length() + word.length() > 99) {
                    b.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder(" ".repeat(HELP_COLUMN));
                    column = 0;
                }
                line.append(word).append(' ');
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        b.append("""

                Durations: a number and s, m, h, d or w (90s, 12h, 7d). Docs: docs/operations.md
                """);
        return b.toString();
    }

    public static Invocation parse(String[] args, Map<String, String> env) throws ConfigException {
        Map<String, Value> flags = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return new Help();
            }
            if (a.equals("--version")) {
                return new ShowVersion();
            }
            if (a.equals("--man")) {
                return new ShowManual(null);
            }
            if (a.equals("--completion")) {
                if (i + 1 >= args.length || !crumbhub.wire.cli.Completions.SHELLS.contains(args[i + 1])) {
                    throw new ConfigException("usage: crumbhub-server --completion bash|zsh|fish");
                }
                return new ShowManual(args[i + 1]);
            }
            Setting s = a.startsWith("--") ? byFlag(a) : null;
            boolean inCommand = !rest.isEmpty();
            if (s != null && (!inCommand || s.key().equals("data"))) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(a + " needs a value");
                }
                flags.put(s.key(), new Value(args[++i], a));
            } else if (!inCommand && a.startsWith("--") && a.contains("=")) {
                throw new ConfigException("write '" + a.replaceFirst("=", " ") + "' instead of '" + a + "'");
            } else if (!inCommand && a.startsWith("-")) {
                throw new ConfigException("unknown option " + a + " (see --help)");
            } else {
                rest.add(a);
            }
        }
        Map<String, Value> settings = new HashMap<>();
        Value configFile = flags.containsKey("config") ? flags.get("config")
                : env.containsKey(CONFIG.env()) ? new Value(env.get(CONFIG.env()), CONFIG.env()) : null;
        if (configFile != null) {
            settings.putAll(readFile(Path.of(configFile.text())));
        }
        for (Setting s : SETTINGS) {
            String v = env.get(s.env());
            if (v != null) {
                settings.put(s.key(), new Value(v, s.env()));
            }
        }
        settings.putAll(flags);
        settings.remove("config");
        Path data = Path.of(text(settings, "data", ServerOptions.DEFAULT_DATA));
        if (!rest.isEmpty()) {
            if (rest.getFirst().equals("restore")) {
                return restore(data, rest);
            }
            return new Admin(data, AdminRequest.fromArgs(rest));
        }
        return new Run(options(settings, data));
    }

    private static Setting byFlag(String flag) {
        if (flag.equals(CONFIG.flag())) {
            return CONFIG;
        }
        for (Setting s : SETTINGS) {
            if (s.flag().equals(flag)) {
                return s;
            }
        }
        return null;
    }

    private static String text(Map<String, Value> s, String key, String dflt) {
        Value v = s.get(key);
        return v == null ? dflt : v.text();
    }

    private static Restore restore(Path data, List<String> args) throws ConfigException {
        boolean force = args.remove("--force");
        boolean unsigned = args.remove("--unsigned");
        if (args.size() != 2 || args.get(1).startsWith("-")) {
            throw new ConfigException("usage: crumbhub-server [--data DIR] restore BACKUP [--force] [--unsigned]");
        }
        return new Restore(data, Path.of(args.get(1)), force, unsigned);
    }

    private static ServerOptions options(Map<String, Value> s, Path data) throws ConfigException {
        var b = ServerOptions.builder().dataDir(data);
        Value listen = s.getOrDefault("listen", new Value(ServerOptions.DEFAULT_LISTEN, "the default"));
        b.listen(HostPort.parse(listen.source(), listen.text()));
        if (s.get("registration") instanceof Value v) {
            RegistrationMode mode = RegistrationMode.parse(v.text());
            if (mode == null) {
                throw new ConfigException(v.source() + " must be open, invite or closed, got '" + v.text() + "'");
            }
            b.registration(mode);
        }
        if (s.get("advertise") instanceof Value v) {
            HostPort at = HostPort.parse(v.source(), v.text());
            if (at.port() == 0 || InviteLinks.isWildcard(at.host()) || !InviteLink.validHost(at.host())) {
                throw new ConfigException(v.source() + " must be the HOST:PORT clients connect to, got '" + v.text() + "'");
            }
            b.advertise(at);
        }
        if (s.get("metrics") instanceof Value v && !v.text().equalsIgnoreCase("off")) {
            b.metrics(HostPort.parse(v.source(), v.text()));
        }
        if (s.get("retention") instanceof Value v) {
            b.retention(Durations.parse(v.source(), v.text()));
        }
        if (s.get("log.format") instanceof Value v) {
            b.logFormat(switch (v.text().toLowerCase(Locale.ROOT)) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new ConfigException(v.source() + " must be text or json, got '" + v.text() + "'");
            });
        }
        if (s.get("log.level") instanceof Value v) {
            System.Logger.Level level = LogSettings.parseLevel(v.text());
            if (level == null) {
                throw new ConfigException(v.source() + " must be debug, info, warn, error or off, got '" + v.text() + "'");
            }
            b.logLevel(level);
        }
        if (s.get("loop.threads") instanceof Value v) {
            b.loopThreads(count(v, 1024));
        }
        if (s.get("hash.threads") instanceof Value v) {
            b.hashThreads(count(v, 64));
        }
        LimitSettings.apply(s, b);
        QuotaSettings.apply(s, b);
        FileSettings.apply(s, b);
        return b.build();
    }

    private static int count(Value v, int max) throws ConfigException {
        String t = v.text();
        if (!t.matches("[0-9]{1,4}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > max) {
            throw new ConfigException(v.source() + " must be a whole number from 1 to " + max + ", got '" + t + "'");
        }
        return Integer.parseInt(t);
    }

    private static Map<String, Value> readFile(Path file) throws ConfigException {
        var props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, Value> out = new LinkedHashMap<>();
        var unknown = new TreeSet<String>();
        var known = SETTINGS.stream().map(Setting::key).collect(Collectors.toSet());
        for (String key : props.stringPropertyNames()) {
            if (known.contains(key)) {
                out.put(key, new Value(props.getProperty(key).trim(), key + " in " + file));
            } else {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("config file " + file + " has unknown keys " + unknown + "; known keys: "
                    + SETTINGS.stream().map(Setting::key).collect(Collectors.joining(", ")));
        }
        return out;
    }
}
