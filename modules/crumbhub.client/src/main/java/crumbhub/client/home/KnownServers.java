package crumbhub.client.home;

import crumbhub.client.ClientException;
import crumbhub.client.net.ServerAddress;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Fingerprint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code known_servers} file: server address to key fingerprint, pinned on first contact
 * like SSH {@code known_hosts}. Plain text so a person can read and edit it (it holds no
 * secret), mode 0600:
 *
 * <pre>
 *   # comment
 *   chat.example.org:5555 1f3a 09bc … (the 16 groups of the fingerprint)
 * </pre>
 *
 * A line that does not parse is an error naming the file and line; this class never drops
 * what the user wrote. Not thread-safe; one command uses it at a time.
 */
public final class KnownServers {
    public static final String FILE_NAME = "known_servers";
    static final int MAX_FILE = 1 << 20;

    private final Path file;
    private final List<String> lines;
    private final Map<String, byte[]> pins;

    private KnownServers(Path file, List<String> lines, Map<String, byte[]> pins) {
        this.file = file;
        this.lines = lines;
        this.pins = pins;
    }

    /** Reads {@code file}; a missing file is an empty list. */
    public static KnownServers load(Path file) {
        var text = AtomicFiles.read(file, MAX_FILE).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        var lines = new ArrayList<>(text.lines().toList());
        var pins = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String where = file + " line " + (i + 1);
            if (space < 0) {
                throw ClientException.store(where + " is not 'HOST:PORT FINGERPRINT'; fix or delete that line");
            }
            String address;
            byte[] digest;
            try {
                address = ServerAddress.parse(line.substring(0, space)).key();
                digest = Fingerprint.parse(line.substring(space + 1));
            } catch (ClientException | CryptoException e) {
                throw ClientException.store(where + " is not 'HOST:PORT FINGERPRINT'; fix or delete that line", e);
            }
            if (pins.putIfAbsent(address, digest) != null) {
                throw ClientException.store(where + " pins " + address + " a second time; delete one of the lines");
            }
        }
        return new KnownServers(file, lines, pins);
    }

    public Path file() {
        return file;
    }

    /** The pinned fingerprint of {@code server}, as its 32 digest bytes. */
    public Optional<byte[]> pinned(ServerAddress server) {
        return Optional.ofNullable(pins.get(server.key())).map(byte[]::clone);
    }

    /**
     * Decides whether the key a server presented may be used (docs/design.md §2).
     *
     * @param expected the fingerprint from {@code --fingerprint}, if given
     * @return true if the key is new and must be pinned with {@link #pin}; false if already pinned
     * @throws ClientException (identity) if the key differs from the pinned one or from {@code expected}
     */
    public boolean check(ServerAddress server, byte[] presentedKey, Optional<String> expected) {
        return check(server, presentedKey, expected, "given with --fingerprint");
    }

    /**
     * As {@link #check(ServerAddress, byte[], Optional)}, naming where {@code expected} came from
     * in the refusal ({@code "given with --fingerprint"}, {@code "in the invite link"}).
     */
    public boolean check(ServerAddress server, byte[] presentedKey, Optional<String> expected, String expectedSource) {
        String presented = Fingerprint.of(presentedKey);
        var pinned = pins.get(server.key());
        if (pinned != null && !MessageDigest.isEqual(pinned, digest(presentedKey))) {
            throw ClientException.identity("the key of server " + server.key() + " has CHANGED: " + file
                    + " pins fingerprint " + format(pinned) + " but the server presented " + presented
                    + ". This could be an attack. If the server's key really changed, delete the line for "
                    + server.key() + " in " + file + " and connect again");
        }
        if (expected.isPresent() && !Fingerprint.matches(presentedKey, expected.get())) {
            throw ClientException.identity("server " + server.key() + " presented fingerprint " + presented
                    + ", not the expected " + normalized(expected.get()) + " " + expectedSource + "; not connecting");
        }
        return pinned == null;
    }

    /** Adds {@code server}'s key and rewrites the file (atomically, mode 0600). */
    public void pin(ServerAddress server, byte[] publicKey) {
        if (pins.containsKey(server.key())) {
            throw new IllegalStateException(server.key() + " is already pinned");
        }
        pins.put(server.key(), digest(publicKey));
        if (lines.isEmpty()) {
            lines.add("# CrumbHub known servers: HOST:PORT followed by the server key's fingerprint.");
            lines.add("# A server whose key changes is refused; delete its line here only if you know why.");
        }
        lines.add(server.key() + " " + Fingerprint.of(publicKey));
        AtomicFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(byte[] publicKey) {
        try {
            return Fingerprint.parse(Fingerprint.of(publicKey));
        } catch (CryptoException e) {
            throw new IllegalStateException("Fingerprint.of output did not parse", e);
        }
    }

    private static String format(byte[] digest) {
        var hex = Bytes.hex(digest);
        var b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            b.append(i == 0 ? "" : " ").append(hex, i, i + 4);
        }
        return b.toString();
    }

    private static String normalized(String fingerprint) {
        try {
            return format(Fingerprint.parse(fingerprint));
        } catch (CryptoException e) {
            return "'" + fingerprint + "'";
        }
    }
}
