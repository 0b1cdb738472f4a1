package crumbhub.server.admin;

import crumbhub.server.config.ConfigException;
import crumbhub.server.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A request over the admin socket. On the socket each request is one line of UTF-8 words
 * separated by single spaces ({@code invite 3 604800}, {@code ban alice}, {@code backup /some path});
 * the last argument of {@code backup} is the rest of the line, so paths may contain spaces.
 */
public sealed interface AdminRequest {
    /** Longest request line: a path plus a word. */
    int MAX_LINE = 4096;
    int DEFAULT_INVITE_USES = 1;
    Duration DEFAULT_INVITE_EXPIRY = Duration.ofDays(7);

    String toLine();

    /**
     * A new invite code and its link.
     *
     * @param address {@code invite --address}: where the link points instead of the advertised
     *                address ({@code HOST:PORT} or {@code HOST}, one word), or null
     */
    record CreateInvite(int uses, Duration expires, String address) implements AdminRequest {
        public CreateInvite(int uses, Duration expires) {
            this(uses, expires, null);
        }

        public String toLine() {
            return "invite " + uses + " " + expires.toSeconds() + (address == null ? "" : " " + address);
        }
    }

    record ListUsers() implements AdminRequest {
        public String toLine() {
            return "users";
        }
    }

    record Ban(String user) implements AdminRequest {
        public String toLine() {
            return "ban " + user;
        }
    }

    record Unban(String user) implements AdminRequest {
        public String toLine() {
            return "unban " + user;
        }
    }

    record ListDevices(String user) implements AdminRequest {
        public String toLine() {
            return "devices " + user;
        }
    }

    /** Revokes one device of a user; its connections are closed. */
    record RevokeDevice(String user, int deviceId) implements AdminRequest {
        public String toLine() {
            return "revoke " + user + " " + deviceId;
        }
    }

    record ShowFingerprint() implements AdminRequest {
        public String toLine() {
            return "fingerprint";
        }
    }

    /** Writes a consistent copy of the server's state as a new data directory at {@code dest}. */
    record Backup(Path dest) implements AdminRequest {
        public String toLine() {
            return "backup " + dest;
        }
    }

    /** Parses a socket line; the message of a failure goes back to the admin client. */
    static AdminRequest parseLine(String line) throws ConfigException {
        if (line.startsWith("backup ") && line.length() > 7) {
            return new Backup(Path.of(line.substring(7)));
        }
        return fromWords(List.of(line.split(" ", -1)));
    }

    /**
     * Parses a subcommand as typed on the command line ({@code invite --uses 3 --expires 7d},
     * {@code ban alice}, …).
     */
    static AdminRequest fromArgs(List<String> args) throws ConfigException {
        String cmd = args.getFirst();
        if (cmd.equals("invite")) {
            int uses = DEFAULT_INVITE_USES;
            Duration expires = DEFAULT_INVITE_EXPIRY;
            String address = null;
            for (int i = 1; i < args.size(); i++) {
                String a = args.get(i);
                String value = i + 1 < args.size() ? args.get(i + 1) : null;
                switch (a) {
                    case "--uses" -> uses = positive("--uses", value);
                    case "--expires" -> expires = Durations.parse("--expires", value);
                    case "--address" -> address = word("--address", value);
                    default -> throw new ConfigException("invite takes --uses N, --expires DURATION and --address"
                            + " HOST:PORT, not '" + a + "'");
                }
                i++;
            }
            return new CreateInvite(uses, expires, address);
        }
        if (cmd.equals("backup")) {
            if (args.size() != 2) {
                throw new ConfigException("usage: backup DEST");
            }
            // the server may run in another directory: send it the path the operator meant
            return new Backup(Path.of(args.get(1)).toAbsolutePath().normalize());
        }
        return fromWords(args);
    }

    private static AdminRequest fromWords(List<String> w) throws ConfigException {
        String cmd = w.getFirst();
        return switch (cmd) {
            case "invite" -> {
                if (w.size() != 4) {
                    arity(w, 3, "invite USES SECONDS [ADDRESS]");
                }
                yield new CreateInvite(positive("uses", w.get(1)), Duration.ofSeconds(seconds(w.get(2))),
                        w.size() == 4 ? word("ADDRESS", w.get(3)) : null);
            }
            case "users" -> {
                arity(w, 1, "users");
                yield new ListUsers();
            }
            case "ban" -> {
                arity(w, 2, "ban USER");
                yield new Ban(w.get(1));
            }
            case "unban" -> {
                arity(w, 2, "unban USER");
                yield new Unban(w.get(1));
            }
            case "devices" -> {
                arity(w, 2, "devices USER");
                yield new ListDevices(w.get(1));
            }
            case "revoke" -> {
                arity(w, 3, "revoke USER DEVICE_ID");
                yield new RevokeDevice(w.get(1), positive("DEVICE_ID", w.get(2)));
            }
            case "fingerprint" -> {
                arity(w, 1, "fingerprint");
                yield new ShowFingerprint();
            }
            default -> throw new ConfigException("unknown command '" + cmd
                    + "'; commands: invite, users, ban, unban, devices, revoke, fingerprint, backup");
        };
    }

    private static void arity(List<String> w, int n, String usage) throws ConfigException {
        if (w.size() != n) {
            throw new ConfigException("usage: " + usage);
        }
    }

    /** One word of at most a host name's length: it travels as one word of the request line. */
    private static String word(String what, String value) throws ConfigException {
        if (value == null || value.isEmpty() || value.length() > 300 || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new ConfigException(what + " must be HOST:PORT or HOST, got '" + value + "'");
        }
        return value;
    }

    private static long seconds(String value) throws ConfigException {
        if (value == null || !value.matches("[0-9]{1,12}") || Long.parseLong(value) < 1) {
            throw new ConfigException("seconds must be a positive whole number, got '" + value + "'");
        }
        return Long.parseLong(value);
    }

    private static int positive(String what, String value) throws ConfigException {
        if (value == null || !value.matches("[0-9]{1,9}") || Integer.parseInt(value) < 1) {
            throw new ConfigException(what + " must be a positive whole number, got '" + value + "'");
        }
        return Integer.parseInt(value);
    }
}
