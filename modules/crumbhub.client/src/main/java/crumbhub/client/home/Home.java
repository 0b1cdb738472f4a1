package crumbhub.client.home;

import crumbhub.client.ClientException;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.X25519KeyPair;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The client's home directory (mode 0700) and everything in it:
 *
 * <pre>
 *   store.key        the store key, plain or wrapped under a passphrase ({@link KeyFile}), 0600
 *   device.sealed    the device's X25519 static key                          ({@link SealedFile}), 0600
 *   session.sealed   server, user, device id, token ({@link SessionRecord}), 0600
 *   state.sealed     what listen, chat or daemon has shown ({@link ReceiveState}), 0600
 *   history.key      the key of the chat history files ({@link SealedFile}), 0600
 *   history/         chat history, encrypted (crumbhub.client.chat), 0700
 *   known_servers    pinned server fingerprints, plain text ({@link KnownServers}), 0600
 *   listen.lock      held by a running listen
 *   e2ee/            end-to-end keys, sessions and pins: one sealed file per record ({@link #writeRecord}), 0700
 *   e2ee.lock        held while a process changes e2ee/
 * </pre>
 *
 * Owns the store key while open and zeroes it on {@link #close()}. Used by one command on
 * one thread; blocking file I/O. Changing the passphrase re-encrypts everything under a new
 * store key: the new files are written as {@code *.rekey}, then {@code store.key} is replaced
 * (the commit point), then they are renamed into place; {@link #open} finishes or discards an
 * interrupted change.
 */
public final class Home implements AutoCloseable {
    public static final String KEY_FILE = "store.key";
    public static final String DEVICE_FILE = "device.sealed";
    public static final String SESSION_FILE = "session.sealed";
    public static final String STATE_FILE = "state.sealed";
    public static final String LOCK_FILE = "listen.lock";
    public static final String HISTORY_KEY_FILE = "history.key";
    public static final String HISTORY_DIR = "history";
    /** Length of the history key. */
    public static final int HISTORY_KEY_LENGTH = 32;
    public static final String E2EE_DIR = "e2ee";
    public static final String E2EE_LOCK_FILE = "e2ee.lock";
    private static final String RECORD_SUFFIX = ".sealed";
    private static final java.util.regex.Pattern RECORD_NAME = java.util.regex.Pattern.compile("[a-z0-9]{1,64}");
    static final String REKEY_SUFFIX = ".rekey";

    /** The sealed files: name and purpose (authenticated, so one file cannot pass for another). */
    private enum Sealed {
        DEVICE(DEVICE_FILE, "device-key"),
        SESSION(SESSION_FILE, "session"),
        STATE(STATE_FILE, "receive-state"),
        HISTORY_KEY(HISTORY_KEY_FILE, "history-key");

        final String file;
        final String purpose;

        Sealed(String file, String purpose) {
            this.file = file;
            this.purpose = purpose;
        }

        static Sealed of(String file) {
            for (var s : values()) {
                if (s.file.equals(file)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(file);
        }
    }

    private final Path dir;
    private final PassphraseSource passphrases;
    private final SecureRandom rng;
    private final int iterations;
    private byte[] storeKey;

    private Home(Path dir, PassphraseSource passphrases, SecureRandom rng, int iterations) {
        this.dir = dir;
        this.passphrases = passphrases;
        this.rng = rng;
        this.iterations = iterations;
    }

    /**
     * Opens (creating if needed) the home directory {@code dir}.
     *
     * @param iterations PBKDF2 iterations for a passphrase set from now on
     *                   ({@link KeyFile#DEFAULT_ITERATIONS} outside tests)
     */
    public static Home open(Path dir, PassphraseSource passphrases, SecureRandom rng, int iterations) {
        AtomicFiles.createPrivateDirectory(dir);
        var home = new Home(dir, passphrases, rng, iterations);
        home.recoverRekey();
        return home;
    }

    public Path dir() {
        return dir;
    }

    public KnownServers knownServers() {
        return KnownServers.load(dir.resolve(KnownServers.FILE_NAME));
    }

    public boolean hasSession() {
        return Files.exists(dir.resolve(SESSION_FILE));
    }

    /** The stored session, or a local-store error telling the user to log in. */
    public SessionRecord session() {
        return readSealed(SESSION_FILE).map(p -> {
            try {
                return SessionRecord.decode(p, path(SESSION_FILE).toString());
            } finally {
                Bytes.zero(p);
            }
        }).orElseThrow(() -> ClientException.store("not logged in (no session in " + dir
                + "); run crumbhub-client register or crumbhub-client login first"));
    }

    public void saveSession(SessionRecord session) {
        writeSealed(SESSION_FILE, session.encode());
    }

    /** The receive state of {@code session}; a state left by another session starts over. */
    public ReceiveState receiveState(SessionRecord session) {
        return readSealed(STATE_FILE)
                .map(p -> ReceiveState.decode(p, path(STATE_FILE).toString()))
                .filter(s -> s.belongsTo(session))
                .orElseGet(() -> ReceiveState.initial(session));
    }

    public void saveReceiveState(ReceiveState state) {
        writeSealed(STATE_FILE, state.encode());
    }

    /** The device key, created and stored on first use. The caller closes it. */
    public X25519KeyPair deviceKey() {
        var existing = readSealed(DEVICE_FILE);
        if (existing.isPresent()) {
            var priv = existing.get();
            try {
                if (priv.length != X25519KeyPair.KEY_LENGTH) {
                    throw ClientException.store(path(DEVICE_FILE) + " is damaged (wrong length)");
                }
                return X25519KeyPair.fromPrivate(priv);
            } finally {
                Bytes.zero(priv);
            }
        }
        var pair = X25519KeyPair.generate(rng);
        var priv = pair.privateKey();
        try {
            writeSealed(DEVICE_FILE, priv);
        } finally {
            Bytes.zero(priv);
        }
        return pair;
    }

    /**
     * The key that encrypts the chat history files, made and stored (sealed under the store key)
     * on first use. A separate key, so that changing the passphrase re-encrypts one small file and
     * not the whole history. The caller zeroes the returned copy.
     */
    public byte[] historyKey() {
        var existing = readSealed(HISTORY_KEY_FILE);
        if (existing.isPresent()) {
            if (existing.get().length != HISTORY_KEY_LENGTH) {
                Bytes.zero(existing.get());
                throw ClientException.store(path(HISTORY_KEY_FILE) + " is damaged (wrong length)");
            }
            return existing.get();
        }
        var key = new byte[HISTORY_KEY_LENGTH];
        rng.nextBytes(key);
        writeSealed(HISTORY_KEY_FILE, key.clone());
        return key;
    }

    /** The directory of the chat history files (mode 0700), created if needed. */
    public Path historyDir() {
        Path dir = path(HISTORY_DIR);
        AtomicFiles.createPrivateDirectory(dir);
        return dir;
    }

    /**
     * A sealed record of the end-to-end layer, {@code e2ee/NAME.sealed}, or empty. The purpose
     * {@code e2ee/NAME} is authenticated, so one record's file cannot pass for another's.
     *
     * @param name 1–64 characters of {@code [a-z0-9]}
     */
    public Optional<byte[]> readRecord(String name) {
        return readSealedAt(recordPath(name), recordPurpose(name));
    }

    /** Replaces the record {@code name} atomically and durably; zeroes {@code plaintext}. */
    public void writeRecord(String name, byte[] plaintext) {
        Path file = recordPath(name);
        AtomicFiles.createPrivateDirectory(file.getParent());
        try {
            AtomicFiles.write(file, SealedFile.seal(storeKey(true), recordPurpose(name), plaintext, rng));
        } finally {
            Bytes.zero(plaintext);
        }
    }

    public void deleteRecord(String name) {
        AtomicFiles.delete(recordPath(name));
    }

    /** The file a process locks while it changes {@code e2ee/}. */
    public Path e2eeLockFile() {
        return path(E2EE_LOCK_FILE);
    }

    /** Forgets the session, the device key, the receive state and the end-to-end state (after logout). */
    public void deleteSession() {
        AtomicFiles.delete(path(SESSION_FILE));
        AtomicFiles.delete(path(STATE_FILE));
        for (Path record : recordFiles(RECORD_SUFFIX)) {
            AtomicFiles.delete(record);
        }
        AtomicFiles.delete(path(DEVICE_FILE));
    }

    /**
     * Starts over for a new login identity: a store key that cannot be found makes the
     * existing sealed files unreadable, so they are removed and a new key is made.
     */
    public void prepareForLogin() {
        if (Files.notExists(path(KEY_FILE))) {
            deleteSession();
            // the history key cannot be opened any more, so the history is unreadable: start a new one
            AtomicFiles.delete(path(HISTORY_KEY_FILE));
            AtomicFiles.deleteTree(path(HISTORY_DIR));
        }
    }

    public boolean isPassphraseProtected() {
        return AtomicFiles.read(path(KEY_FILE), KeyFile.MAX_FILE)
                .map(b -> KeyFile.decode(b, path(KEY_FILE).toString()) instanceof KeyFile.Wrapped)
                .orElse(false);
    }

    /**
     * Re-encrypts the store under a new key wrapped with {@code passphrase}, or kept plain when
     * {@code passphrase} is null. Asks for the current passphrase first if there is one.
     */
    public void changeProtection(char[] passphrase) {
        byte[] oldKey = storeKey(false);
        var newKey = new byte[KeyFile.KEY_LENGTH];
        rng.nextBytes(newKey);
        try {
            // 1. every sealed file, re-encrypted, beside the original
            for (var f : Sealed.values()) {
                var plaintext = oldKey == null ? Optional.<byte[]>empty() : readSealed(f.file);
                if (plaintext.isPresent()) {
                    AtomicFiles.write(path(f.file + REKEY_SUFFIX), SealedFile.seal(newKey, f.purpose, plaintext.get(), rng));
                    Bytes.zero(plaintext.get());
                }
            }
            for (Path record : oldKey == null ? List.<Path>of() : recordFiles(RECORD_SUFFIX)) {
                String purpose = recordPurpose(recordName(record, RECORD_SUFFIX));
                var plaintext = readSealedAt(record, purpose).orElseThrow();
                AtomicFiles.write(record.resolveSibling(record.getFileName() + REKEY_SUFFIX),
                        SealedFile.seal(newKey, purpose, plaintext, rng));
                Bytes.zero(plaintext);
            }
            // 2. the commit point
            KeyFile keyFile = passphrase == null ? new KeyFile.Plain(newKey)
                    : KeyFile.Wrapped.wrap(newKey, passphrase, iterations, rng);
            AtomicFiles.write(path(KEY_FILE), keyFile.encode());
            // 3. into place
            if (storeKey != null) {
                Bytes.zero(storeKey);
            }
            storeKey = newKey.clone();
            recoverRekey();
        } finally {
            Bytes.zero(newKey);
        }
    }

    /** The held {@code listen.lock}; closing it releases the lock. */
    public static final class ListenerLock implements AutoCloseable {
        private final FileChannel channel;

        private ListenerLock(FileChannel channel) {
            this.channel = channel;
        }

        public boolean isHeld() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw ClientException.store("cannot release the listen lock: " + AtomicFiles.reason(e), e);
            }
        }
    }

    /**
     * Holds {@code listen.lock} so that two listeners on one home cannot print a message twice
     * or race on the receive state. Released when closed or when the process ends.
     */
    public ListenerLock lockListener() {
        Path lockFile = path(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw ClientException.store("cannot open " + lockFile + ": " + AtomicFiles.reason(e), e);
        }
        var lock = new ListenerLock(channel);
        try {
            if (channel.tryLock() == null) {
                throw ClientException.store("another crumbhub-client listen is running with " + dir);
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            lock.close();
            throw ClientException.store("another crumbhub-client listen is running with " + dir, e);
        } catch (IOException e) {
            lock.close();
            throw ClientException.store("cannot lock " + lockFile + ": " + AtomicFiles.reason(e), e);
        } catch (ClientException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (storeKey != null) {
            Bytes.zero(storeKey);
            storeKey = null;
        }
    }

    private Path path(String name) {
        return dir.resolve(name);
    }

    private Optional<byte[]> readSealed(String name) {
        return readSealedAt(path(name), purpose(name));
    }

    private Optional<byte[]> readSealedAt(Path file, String purpose) {
        var content = AtomicFiles.read(file, SealedFile.MAX_FILE);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        byte[] key = storeKey(false);
        if (key == null) {
            throw ClientException.store(path(KEY_FILE) + " is missing, so " + file
                    + " cannot be decrypted; log in again to start over");
        }
        return Optional.of(SealedFile.open(key, purpose, content.get(), file.toString()));
    }

    private Path recordPath(String name) {
        if (!RECORD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("record names are 1-64 of [a-z0-9]");
        }
        return path(E2EE_DIR).resolve(name + RECORD_SUFFIX);
    }

    private static String recordPurpose(String name) {
        return E2EE_DIR + "/" + name;
    }

    private static String recordName(Path file, String suffix) {
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - suffix.length());
    }

    /** The files in {@code e2ee/} whose names are a record name and {@code suffix}, sorted. */
    private List<Path> recordFiles(String suffix) {
        Path dir = path(E2EE_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> {
                String f = p.getFileName().toString();
                return f.endsWith(suffix) && RECORD_NAME.matcher(f.substring(0, f.length() - suffix.length())).matches();
            }).sorted().toList();
        } catch (IOException e) {
            throw ClientException.store("cannot list " + dir + ": " + AtomicFiles.reason(e), e);
        }
    }

    private void writeSealed(String name, byte[] plaintext) {
        try {
            AtomicFiles.write(path(name), SealedFile.seal(storeKey(true), purpose(name), plaintext, rng));
        } finally {
            Bytes.zero(plaintext);
        }
    }

    /** The store key, loaded (asking for the passphrase if needed) or, with {@code create}, made. */
    private byte[] storeKey(boolean create) {
        if (storeKey != null) {
            return storeKey;
        }
        Path keyPath = path(KEY_FILE);
        var file = AtomicFiles.read(keyPath, KeyFile.MAX_FILE);
        if (file.isEmpty()) {
            if (!create) {
                return null;
            }
            var key = new byte[KeyFile.KEY_LENGTH];
            rng.nextBytes(key);
            AtomicFiles.write(keyPath, new KeyFile.Plain(key).encode());
            storeKey = key;
            return storeKey;
        }
        if (AtomicFiles.isOpenToOthers(keyPath)) {
            throw ClientException.store("permissions of " + keyPath + " are too open: others could read"
                    + " the store key; run chmod 600 " + keyPath);
        }
        storeKey = switch (KeyFile.decode(file.get(), keyPath.toString())) {
            case KeyFile.Plain plain -> plain.key();
            case KeyFile.Wrapped wrapped -> {
                var passphrase = passphrases.passphrase("Passphrase for " + dir + ": ");
                try {
                    yield wrapped.unwrap(passphrase);
                } finally {
                    Arrays.fill(passphrase, '\0');
                }
            }
        };
        Bytes.zero(file.get());
        return storeKey;
    }

    /**
     * Finishes or discards an interrupted passphrase change: a {@code *.rekey} file that opens
     * under the key in {@code store.key} was committed and replaces its original; one that does
     * not was never committed and is deleted. Needs the store key only if such files exist.
     */
    private void recoverRekey() {
        for (var f : Sealed.values()) {
            Path pending = path(f.file + REKEY_SUFFIX);
            if (Files.notExists(pending)) {
                continue;
            }
            var content = AtomicFiles.read(pending, SealedFile.MAX_FILE);
            byte[] key = storeKey(false);
            if (content.isPresent() && key != null && SealedFile.opensWith(key, f.purpose, content.get())) {
                AtomicFiles.rename(pending, path(f.file));
            } else {
                AtomicFiles.delete(pending);
            }
        }
        for (Path pending : recordFiles(RECORD_SUFFIX + REKEY_SUFFIX)) {
            String purpose = recordPurpose(recordName(pending, RECORD_SUFFIX + REKEY_SUFFIX));
            var content = AtomicFiles.read(pending, SealedFile.MAX_FILE);
            byte[] key = storeKey(false);
            Path original = pending.resolveSibling(recordName(pending, REKEY_SUFFIX));
            if (content.isPresent() && key != null && SealedFile.opensWith(key, purpose, content.get())) {
                AtomicFiles.rename(pending, original);
            } else {
                AtomicFiles.delete(pending);
            }
        }
    }

    private static String purpose(String name) {
        return Sealed.of(name).purpose;
    }
}
