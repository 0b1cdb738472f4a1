package crumbhub.client.backup;

import crumbhub.client.ClientException;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What this device knows of the account history backup, kept sealed in the home (record
 * {@value #RECORD}): its own stream and how far it sealed and uploaded, the open batch (lines
 * recorded but not sealed yet, plaintext inside the sealed record), the conversations whose history
 * it does not back up, and how far it restored each other stream.
 *
 * <pre>
 *   u8 1, u8 enabled, u64 stream, u64 sealed, u64 uploaded, u16 n, n × str8 excluded,
 *   bytes32 open, u16 m, m × (u32 deviceId, u64 stream, u64 restored), u8 restoredOnce
 * </pre>
 *
 * Batches {@code uploaded .. sealed - 1} wait in the outbox ({@link HistoryBackup}). Mutable; owned
 * by {@link HistoryBackup} under its lock.
 */
final class BackupState {
    static final String RECORD = "historybackup";
    private static final int VERSION = 1;

    /** Stream key of another device's stream. */
    record StreamKey(int deviceId, long stream) {}

    boolean enabled = true;
    long stream;
    long sealed;
    long uploaded;
    final TreeSet<String> excluded = new TreeSet<>();
    byte[] open = new byte[0];
    final Map<StreamKey, Long> restored = new LinkedHashMap<>();
    boolean restoredOnce;

    static BackupState fresh(long stream) {
        var s = new BackupState();
        s.stream = stream;
        return s;
    }

    byte[] encode() {
        var out = BinaryWriter.growable(256 + open.length).u8(VERSION).flag(enabled).u64(stream).u64(sealed)
                .u64(uploaded).u16(excluded.size());
        for (String e : excluded) {
            out.str8(e);
        }
        out.bytes32(open).u16(restored.size());
        restored.forEach((k, v) -> out.u32(k.deviceId()).u64(k.stream()).u64(v));
        return out.flag(restoredOnce).toByteArray();
    }

    static BackupState decode(byte[] b) {
        try {
            var in = BinaryReader.of(b, "history backup state", CryptoException::malformed);
            if (in.u8() != VERSION) {
                throw new CryptoException("unknown version");
            }
            var s = new BackupState();
            s.enabled = in.flag();
            s.stream = in.u64();
            s.sealed = in.u64();
            s.uploaded = in.u64();
            int n = in.u16();
            for (int i = 0; i < n; i++) {
                s.excluded.add(in.str8());
            }
            s.open = in.bytes32(BackupBatch.MAX_CONTENT);
            int m = in.u16();
            for (int i = 0; i < m; i++) {
                s.restored.put(new StreamKey(in.u32(), in.u64()), in.u64());
            }
            s.restoredOnce = in.flag();
            in.end();
            return s;
        } catch (CryptoException e) {
            throw ClientException.store("the history backup state in the home is damaged (" + e.getMessage()
                    + "); delete e2ee/" + RECORD + ".sealed to start a new backup stream");
        }
    }
}
