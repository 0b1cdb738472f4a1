package crumbhub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bench users of one CrumbHub server, kept in a file between runs: password, device key,
 * device id and token per user. Registering or logging in costs the server a PBKDF2 hash (about
 * 0.3 s of a core at 600,000 iterations), so thousands of bench users are registered once and
 * later runs RESUME their devices, which costs a table lookup.
 *
 * <p>The file holds only bench accounts' secrets, yet it is created 0600 like a key file. One
 * line per user; an update appends a line, the last line of a user wins, and loading compacts.
 * If the file belongs to a server with another key (a new data directory), it is started afresh.
 * Thread-safe.
 *
 * <pre>
 * crumbhub-bench-state 1
 * server HEXKEY
 * user NAME PASSWORDHEX DEVICEID PRIVATEKEYHEX TOKENHEX
 * </pre>
 */
public final class SessionStore {
    private static final String MAGIC = "crumbhub-bench-state 1";
    private static final HexFormat HEX = HexFormat.of();

    /** One bench user's credentials; {@code deviceId} 0 and {@code token} null until authenticated once. */
    public record Entry(String user, byte[] password, int deviceId, byte[] devicePrivate, byte[] token) {
        public Entry {
            Objects.requireNonNull(user);
            Objects.requireNonNull(password);
            Objects.requireNonNull(devicePrivate);
        }

        public boolean canResume() {
            return deviceId != 0 && token != null;
        }

        @Override
        public String toString() {
            return "Entry[user=" + user + ", deviceId=" + deviceId + ", secrets=<redacted>]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && user.equals(e.user) && deviceId == e.deviceId
                    && Arrays.equals(password, e.password) && Arrays.equals(devicePrivate, e.devicePrivate)
                    && Arrays.equals(token, e.token);
        }

        @Override
        public int hashCode() {
            return user.hashCode() * 31 + deviceId;
        }
    }

    private final Path path;
    private final byte[] serverKey;
    private final Map<String, Entry> entries;

    private SessionStore(Path path, byte[] serverKey, Map<String, Entry> entries) {
        this.path = path;
        this.serverKey = serverKey.clone();
        this.entries = entries;
    }

    /**
     * Opens the state of {@code serverKey}'s server at {@code path}: the entries saved for it, or
     * none if the file is missing or belongs to another server (then it is rewritten).
     */
    public static SessionStore open(Path path, byte[] serverKey) throws BenchException {
        var entries = new LinkedHashMap<String, Entry>();
        boolean rewrite = true;
        if (Files.exists(path)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new BenchException("cannot read the bench state " + path + ": " + e.getMessage(), e);
            }
            if (lines.size() < 2 || !lines.get(0).equals(MAGIC)) {
                throw new BenchException(path + " is not a crumbhub-bench state file; pass another --state");
            }
            if (lines.get(1).equals("server " + HEX.formatHex(serverKey))) {
                for (int i = 2; i < lines.size(); i++) {
                    Entry e = parse(path, i + 1, lines.get(i));
                    entries.put(e.user(), e);
                }
                rewrite = lines.size() - 2 != entries.size();
            }
        }
        var store = new SessionStore(path, serverKey, entries);
        if (rewrite) {
            store.rewrite();
        }
        return store;
    }

    private static Entry parse(Path path, int lineNo, String line) throws BenchException {
        String[] f = line.split(" ");
        try {
            if (f.length != 6 || !f[0].equals("user")) {
                throw new IllegalArgumentException("expected 6 fields");
            }
            byte[] token = f[5].equals("-") ? null : HEX.parseHex(f[5]);
            return new Entry(f[1], HEX.parseHex(f[2]), Integer.parseInt(f[3]), HEX.parseHex(f[4]), token);
        } catch (IllegalArgumentException e) {
            throw new BenchException(path + " line " + lineNo + " is damaged (" + e.getMessage()
                    + "); delete the file to start over", e);
        }
    }

    private static String format(Entry e) {
        return "user " + e.user() + " " + HEX.formatHex(e.password()) + " " + e.deviceId() + " "
                + HEX.formatHex(e.devicePrivate()) + " " + (e.token() == null ? "-" : HEX.formatHex(e.token()));
    }

    /** The saved entry of {@code user}, or null. */
    public synchronized Entry get(String user) {
        return entries.get(user);
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Saves (appends) an entry, replacing the user's earlier one. */
    public synchronized void put(Entry e) throws BenchException {
        entries.put(e.user(), e);
        try {
            Files.writeString(path, format(e) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new BenchException("cannot write the bench state " + path + ": " + ex.getMessage(), ex);
        }
    }

    private synchronized void rewrite() throws BenchException {
        var sb = new StringBuilder(MAGIC).append('\n').append("server ").append(HEX.formatHex(serverKey)).append('\n');
        for (Entry e : entries.values()) {
            sb.append(format(e)).append('\n');
        }
        Path abs = path.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                Files.writeString(tmp, "");
            }
            Files.writeString(tmp, sb, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BenchException("cannot write the bench state " + path + ": " + e.getMessage(), e);
        }
    }
}
