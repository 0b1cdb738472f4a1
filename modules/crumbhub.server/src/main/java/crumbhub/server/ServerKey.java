package crumbhub.server;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.log.Log;
import crumbhub.server.store.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The server's static X25519 key, its identity (docs/design.md §2), in {@code server.key} of the data
 * directory: {@code u8 version (=1)} then the 32-byte private key, mode 0600. Created on first
 * start: written to a new temporary file created 0600, forced to disk, renamed into place, and
 * the directory forced, so a crash leaves either no key or the whole key. A key file that other
 * users may read or write is refused, as sshd refuses a private key open to others.
 */
public final class ServerKey {
    public static final String FILE = "server.key";
    private static final int VERSION = 1;
    private static final Log LOG = Log.get("crumbhub.server");

    private ServerKey() {}

    /** Loads the key from {@code dataDir}, creating it first if there is none. */
    public static X25519KeyPair loadOrCreate(Path dataDir, SecureRandom random) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            create(file, random);
        }
        return load(file);
    }

    /**
     * Reads the key file.
     *
     * @throws IOException if it is not a key, or if its group or other users have any permission on
     *                     it (the message says which {@code chmod} fixes it)
     */
    static X25519KeyPair load(Path file) throws IOException {
        String exposure = OwnerOnly.exposure(file);
        if (exposure != null) {
            throw new IOException(exposure);
        }
        byte[] raw = Files.readAllBytes(file);
        try {
            if (raw.length != 1 + X25519KeyPair.KEY_LENGTH || raw[0] != VERSION) {
                throw new IOException(file + " is not a CrumbHub server key (version " + VERSION + ", 33 bytes)");
            }
            return X25519KeyPair.fromPrivate(Arrays.copyOfRange(raw, 1, raw.length));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] raw = new byte[1 + X25519KeyPair.KEY_LENGTH];
        try (var pair = X25519KeyPair.generate(random)) {
            byte[] priv = pair.privateKey();
            raw[0] = VERSION;
            System.arraycopy(priv, 0, raw, 1, priv.length);
            Arrays.fill(priv, (byte) 0);
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            OwnerOnly.writeNew(tmp, raw);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
            try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
            LOG.info("server_key_created", "file", file);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
