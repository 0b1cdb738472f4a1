package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.client.home.AtomicFiles;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Rollback protection for sending (docs/crypto.md, "Rollback counter"). A home directory restored
 * from an older copy holds sending chains that already encrypted later messages: sending from it
 * would encrypt a new message under an already used message key and nonce. So every send counts
 * one up in the sealed state (record {@code send-counter}: a random id for this home and the
 * count), in the same store transaction that advances the chains; and before the message leaves,
 * the count is written to a <em>witness</em> file outside the home directory
 * ({@code STATE_DIR/send-counter-ID}). A home whose count is below its witness was rewound: it
 * refuses to send.
 *
 * <p>The witness is raised in a store transaction of its own (the store's lock orders the writes
 * of concurrent processes) after the encrypting transaction committed and before the caller sends
 * anything: a crash between the two leaves the witness lower, never higher, than the home.
 *
 * <p>Encoding of the record, version 1: {@code u8 1, id16 homeId, u64 count}. The witness file is
 * one text line, {@code crumbhub send counter 1 COUNT}.
 */
final class SendCounter {
    static final String RECORD = "send-counter";
    private static final int VERSION = 1;
    private static final String WITNESS_PREFIX = "crumbhub send counter 1 ";
    private static final int MAX_WITNESS_BYTES = 128;

    /** The state after one more send: which home, and its count. */
    record Advanced(byte[] homeId, long count) {}

    private final Path witnessDir;

    /** @param witnessDir where witness files live; null for none (then a rewound home is not noticed) */
    SendCounter(Path witnessDir) {
        this.witnessDir = witnessDir;
    }

    /** Refuses if this home was rewound; changes nothing. In a store transaction. */
    void check(E2eStore.Tx tx) {
        var stored = load(tx);
        if (stored.isPresent()) {
            requireNotRewound(stored.get().homeId(), stored.get().count());
        }
    }

    /**
     * In the store transaction that encrypts a message, before encrypting: refuses (a
     * {@link ClientException} of kind local store; the transaction then writes nothing) if this home
     * was rewound, else counts one more send.
     */
    Advanced advance(E2eStore.Tx tx, java.security.SecureRandom rng) {
        var stored = load(tx).orElseGet(() -> {
            byte[] id = new byte[16];
            rng.nextBytes(id);
            return new Advanced(id, 0);
        });
        requireNotRewound(stored.homeId(), stored.count());
        var next = new Advanced(stored.homeId(), stored.count() + 1);
        tx.put(RECORD, BinaryWriter.growable(25).u8(VERSION).raw(next.homeId()).u64(next.count()).toByteArray());
        return next;
    }

    /** After the transaction of {@link #advance} committed, before the message leaves: raises the witness to its count. */
    void witness(E2eStore store, Advanced advanced) {
        if (witnessDir == null) {
            return;
        }
        store.transaction(tx -> {
            if (witnessed(advanced.homeId()) < advanced.count()) {
                AtomicFiles.createPrivateDirectory(witnessDir);
                AtomicFiles.write(witnessFile(advanced.homeId()),
                        (WITNESS_PREFIX + advanced.count() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return null;
        });
    }

    private void requireNotRewound(byte[] homeId, long count) {
        long witnessed = witnessed(homeId);
        if (witnessed > count) {
            throw ClientException.store("this home directory was restored from an older copy: it counts " + count
                    + " sends, but " + witnessed + " were made from it (" + witnessFile(homeId) + "), so sending could"
                    + " reuse a message key; nothing was sent. Use the newest copy, or move this one aside and log in"
                    + " again as a new device (docs/client.md, \"Rolled-back home directories\")");
        }
    }

    /** The witnessed count for this home, 0 if there is no witness (none yet, or no witness directory). */
    private long witnessed(byte[] homeId) {
        if (witnessDir == null) {
            return 0;
        }
        Path file = witnessFile(homeId);
        Optional<byte[]> bytes = AtomicFiles.read(file, MAX_WITNESS_BYTES);
        if (bytes.isEmpty()) {
            return 0;
        }
        String line = new String(bytes.get(), StandardCharsets.US_ASCII).strip();
        if (!line.startsWith(WITNESS_PREFIX) || !line.substring(WITNESS_PREFIX.length()).matches("[0-9]{1,18}")) {
            throw ClientException.store(file + " is not a CrumbHub send counter; move it aside if you know why it is there");
        }
        return Long.parseLong(line.substring(WITNESS_PREFIX.length()));
    }

    private Path witnessFile(byte[] homeId) {
        return witnessDir.resolve("send-counter-" + HexFormat.of().formatHex(homeId));
    }

    private static Optional<Advanced> load(E2eStore.Tx tx) {
        var stored = tx.get(RECORD);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            var in = BinaryReader.of(stored.get(), "end-to-end record", Malformed::of);
            in.version(VERSION);
            var id = in.fixed(16);
            long count = in.u64();
            in.end();
            return Optional.of(new Advanced(id, count));
        } catch (Malformed e) {
            throw Malformed.damaged(RECORD, e);
        }
    }
}
