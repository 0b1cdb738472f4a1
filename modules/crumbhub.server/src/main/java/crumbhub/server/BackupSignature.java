package crumbhub.server;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.core.ServerSecrets;
import crumbhub.server.store.BackupBlobs;
import crumbhub.server.store.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;

/**
 * The signature of a backup (docs/operations.md §7): an HMAC-SHA256, under a key derived from the
 * server key ({@link ServerSecrets#BACKUP_MAC}), over the name, length and bytes of each file a
 * restore copies ({@code FORMAT}, {@code server.key}, the store's segment and snapshot files, in
 * name order, then the accounts' history backup streams). Kept in {@value #FILE} as {@code crumbhub-backup-signature v1 hmac-sha256 HEX}.
 * A restore checks it against the key in the backup, so a changed, added or removed file, or
 * another server's store next to this server's key, is refused. Blocking file I/O.
 */
final class BackupSignature {
    static final String FILE = "BACKUP-SIGNATURE";
    private static final String HEADER = "crumbhub-backup-signature v1 hmac-sha256 ";

    private BackupSignature() {}

    /** Signs the backup in {@code dir} with the key derived from its own {@code server.key}. */
    static void sign(Path dir) throws IOException {
        byte[] mac = compute(dir);
        OwnerOnly.writeNew(dir.resolve(FILE), (HEADER + HexFormat.of().formatHex(mac) + "\n").getBytes(StandardCharsets.US_ASCII));
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Whether {@code dir} carries a signature file at all. */
    static boolean isSigned(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * Checks the signature of the backup in {@code dir} against its own {@code server.key}.
     *
     * @throws IOException with one line naming {@code shownAs} if it is missing, unreadable or wrong
     */
    static void verify(Path dir, Path shownAs) throws IOException {
        String text = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).strip();
        byte[] claimed;
        try {
            if (!text.startsWith(HEADER)) {
                throw new IllegalArgumentException("unknown signature format");
            }
            claimed = HexFormat.of().parseHex(text.substring(HEADER.length()));
        } catch (IllegalArgumentException e) {
            throw new IOException("the backup " + shownAs + " has an unreadable signature; it was changed after it was written");
        }
        if (!ServerSecrets.sameMac(compute(dir), claimed)) {
            throw new IOException("the backup " + shownAs + " does not match its signature: it was changed after it was"
                    + " written, or mixes another server's files; restore an intact backup");
        }
    }

    /** The files a restore copies, in the order they are signed. */
    static List<Path> signedFiles(Path dir) throws IOException {
        var files = new ArrayList<Path>();
        if (Files.exists(dir.resolve(DataFormat.FILE))) {
            files.add(dir.resolve(DataFormat.FILE));
        }
        files.add(dir.resolve(ServerKey.FILE));
        try (var entries = Files.list(dir.resolve(Persistence.STORE_DIR))) {
            entries.filter(p -> isStoreFile(p.getFileName().toString())).sorted().forEach(files::add);
        }
        files.addAll(BackupBlobs.files(dir));
        files.addAll(crumbhub.server.store.FileBlobs.files(dir));
        return files;
    }

    /** A store file a backup holds and a restore copies: segments and snapshots, not temporaries or the lock. */
    static boolean isStoreFile(String name) {
        return (name.startsWith("log-") || name.startsWith("snap-")) && !name.endsWith(".tmp");
    }

    private static byte[] compute(Path dir) throws IOException {
        byte[] key;
        try (X25519KeyPair pair = ServerKey.load(dir.resolve(ServerKey.FILE))) {
            byte[] priv = pair.privateKey();
            key = ServerSecrets.derive(priv, ServerSecrets.BACKUP_MAC);
            Arrays.fill(priv, (byte) 0);
        }
        Mac mac = ServerSecrets.hmac(key);
        Arrays.fill(key, (byte) 0);
        mac.update(HEADER.getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[1 << 20];
        for (Path f : signedFiles(dir)) {
            String name = dir.relativize(f).toString();
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update(ByteBuffer.allocate(9).put((byte) 0).putLong(Files.size(f)).array());
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    mac.update(buf, 0, n);
                }
            }
        }
        return mac.doFinal();
    }
}
