package crumbhub.server;

import crumbhub.server.admin.AdminRequest;
import crumbhub.server.config.ConfigException;
import crumbhub.server.config.Durations;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitSettings;
import crumbhub.server.config.LogFormat;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the command line, the environment and an optional properties file into one
 * {@link Invocation}. For each setting a flag wins over the environment variable
 * ({@code CRUMBHUB_} + the key in upper case, dots as underscores), which wins over the file,
 * which wins over the default. The file is named by {@code --config} or {@code CRUMBHUB_CONFIG}.
 */
public final class CommandLine {
    /** Keys accepted as {@code --key VALUE}, {@code CRUMBHUB_KEY} and {@code key=value} in the file. */
    private static final Set<String> KEYS = union(Set.of("data", "listen", "registration", "metrics", "retention",
            "log.format", "loop.threads"), LimitSettings.KEYS);

    public static final String HELP = """
            Usage: crumbhub-server [OPTIONS]                 run the server
                   crumbhub-server [--data DIR] COMMAND ...   talk to the running server

            Options (flag > environment > config file > default):
              --data DIR               data directory (CRUMBHUB_DATA, default ./crumbhub-data)
              --listen HOST:PORT       address to accept clients on (CRUMBHUB_LISTEN, default 0.0.0.0:5555)
              --registration MODE      open, invite or closed (CRUMBHUB_REGISTRATION, default open)
              --config FILE            properties file with the keys below (CRUMBHUB_CONFIG)
              --metrics HOST:PORT      local address for metrics and health (CRUMBHUB_METRICS)
              --retention DURATION     keep unacknowledged messages this long (CRUMBHUB_RETENTION, default 30d)
              --log-format text|json   log line format on stderr (CRUMBHUB_LOG_FORMAT, default text)
              --loop-threads N         network threads (CRUMBHUB_LOOP_THREADS, default: one per core)
              -h, --help               show this help
            Config file keys: data, listen, registration, metrics, retention, log.format, loop.threads,
            and the limit keys below with dots (handshake.timeout, rate.user, ...)

            """ + LimitSettings.HELP + """

            Commands (over DIR/admin.sock while the server runs):
              invite [--uses N] [--expires 7d]   print a new invite code
              users                              list users
              ban USER | unban USER              block or allow a user (bans close their connections)
              devices USER                       list a user's devices
              revoke USER DEVICE_ID              revoke one device
              fingerprint                        print the server key's fingerprint
              backup DEST                        write a copy of the server's state to the new directory DEST
            """;

    /** What the process should do. */
    public sealed interface Invocation {}

    public record Run(ServerOptions options) implements Invocation {}

    public record Help() implements Invocation {}

    public record Admin(Path dataDir, AdminRequest request) implements Invocation {}

    private CommandLine() {}

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    public static Invocation parse(String[] args, Map<String, String> env) throws ConfigException {
        Map<String, String> flags = new HashMap<>();
        List<String> rest = new ArrayList<>();
        boolean inCommand = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return new Help();
            }
            String key = a.startsWith("--") ? a.substring(2).replace('-', '.') : null;
            if (key != null && (KEYS.contains(key) || key.equals("config")) && !(inCommand && !key.equals("data"))) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(a + " needs a value");
                }
                flags.put(key, args[++i]);
            } else if (key != null && key.contains("=")) {
                throw new ConfigException("write '" + a.replace("=", " ") + "' instead of '" + a + "'");
            } else if (!inCommand && key != null) {
                throw new ConfigException("unknown option " + a + " (see --help)");
            } else {
                inCommand = true;
                rest.add(a);
            }
        }
        Map<String, String> settings = new HashMap<>();
        String configFile = flags.getOrDefault("config", env.get("CRUMBHUB_CONFIG"));
        if (configFile != null) {
            settings.putAll(readFile(Path.of(configFile)));
        }
        for (String key : KEYS) {
            String v = env.get("CRUMBHUB_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (v != null) {
                settings.put(key, v);
            }
        }
        settings.putAll(flags);
        settings.remove("config");
        Path data = Path.of(settings.getOrDefault("data", ServerOptions.DEFAULT_DATA));
        if (!rest.isEmpty()) {
            return new Admin(data, AdminRequest.fromArgs(rest));
        }
        return new Run(options(settings, data));
    }

    private static ServerOptions options(Map<String, String> s, Path data) throws ConfigException {
        var b = ServerOptions.builder().dataDir(data);
        b.listen(HostPort.parse("--listen", s.getOrDefault("listen", ServerOptions.DEFAULT_LISTEN)));
        if (s.containsKey("registration")) {
            RegistrationMode mode = RegistrationMode.parse(s.get("registration"));
            if (mode == null) {
                throw new ConfigException("--registration must be open, invite or closed, got '"
                        + s.get("registration") + "'");
            }
            b.registration(mode);
        }
        if (s.containsKey("metrics")) {
            b.metrics(HostPort.parse("--metrics", s.get("metrics")));
        }
        if (s.containsKey("retention")) {
            b.retention(Durations.parse("--retention", s.get("retention")));
        }
        if (s.containsKey("log.format")) {
            b.logFormat(switch (s.get("log.format").toLowerCase(Locale.ROOT)) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new ConfigException("--log-format must be text or json, got '"
                        + s.get("log.format") + "'");
            });
        }
        if (s.containsKey("loop.threads")) {
            String v = s.get("loop.threads");
            if (!v.matches("[0-9]{1,4}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 1024) {
                throw new ConfigException("--loop-threads must be 1..1024, got '" + v + "'");
            }
            b.loopThreads(Integer.parseInt(v));
        }
        LimitSettings.apply(s, b);
        return b.build();
    }

    private static Map<String, String> readFile(Path file) throws ConfigException {
        var props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        var out = new HashMap<String, String>();
        var unknown = new TreeSet<String>();
        for (String key : props.stringPropertyNames()) {
            if (KEYS.contains(key)) {
                out.put(key, props.getProperty(key).trim());
            } else {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("config file " + file + " has unknown keys " + unknown
                    + "; known keys: " + String.join(", ", new TreeSet<>(KEYS)));
        }
        return out;
    }
}
