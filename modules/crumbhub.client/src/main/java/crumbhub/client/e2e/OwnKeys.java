package crumbhub.client.e2e;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.PreKeyLookup;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.KeyFrame;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * This device's private end-to-end keys (docs/design.md §5): the identity, the current and previous
 * signed X25519 prekey and signed ML-KEM prekey, and the private halves of the one-time prekeys
 * (X25519 and signed ML-KEM) published and not used yet. Record {@code keys}; secret.
 *
 * <p>Encoding, version 2: {@code u8 2, bytes identity, u64 rotatedMs, u32 nextPreKeyId,
 * u32 nextOneTimeId, bytes signed, u8 hasPrevious, [bytes previousSigned], bytes kem,
 * u8 hasPrevious, [bytes previousKem], u16 n, n × bytes oneTime, u32 nextOneTimeKemId,
 * u16 m, m × bytes oneTimeKem}, each {@code bytes} the crypto module's private encoding. Version 1
 * (without the last two fields: a device from before one-time ML-KEM prekeys) is still read; such
 * a device makes and uploads its first batch at its next {@link E2eClient#maintain}. The ML-KEM and one-time keys stay encoded until a lookup needs
 * one (regenerating them all would cost milliseconds in every transaction that only needs the
 * identity). Not thread-safe; used inside one store transaction.
 */
final class OwnKeys implements PreKeyLookup, AutoCloseable {
    static final String RECORD = "keys";
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_KEM = 1;
    /** One-time prekeys uploaded per refill: the most one upload frame may carry. */
    static final int REFILL_TARGET = OneTimePreKeyPair.MAX_BATCH;
    /**
     * Private one-time prekeys kept: the server holds at most 200 and hands out each once, so more
     * than this are keys it handed to initiators who never wrote; the oldest go first.
     */
    static final int MAX_KEPT_ONE_TIME = 400;
    /** Signed prekeys (X25519 and ML-KEM) are replaced after this long; the previous pair is kept for messages in flight. */
    static final Duration ROTATE_AFTER = Duration.ofDays(7);
    private static final int MAX_ENCODING = 4096;
    /** One-time ML-KEM prekeys uploaded per refill: the most one upload frame carries. */
    static final int KEM_REFILL_TARGET = KemPreKeyPair.MAX_ONE_TIME_BATCH;
    /**
     * Private one-time ML-KEM prekeys kept (133 bytes each): the server holds at most 100; more
     * are keys it handed to initiators who never wrote, and the oldest go first.
     */
    static final int MAX_KEPT_ONE_TIME_KEM = 200;

    final IdentityKeys identity;
    private SignedPreKeyPair signed;
    private SignedPreKeyPair previousSigned;
    private byte[] kem;
    private byte[] previousKem;
    private final java.util.Map<Integer, KemPreKeyPair> kemDecoded = new java.util.HashMap<>();
    private long rotatedMs;
    private int nextPreKeyId;
    private int nextOneTimeId;
    /** One-time prekey id to its private encoding, oldest first. */
    private final LinkedHashMap<Integer, byte[]> oneTime = new LinkedHashMap<>();
    private final java.util.Map<Integer, OneTimePreKeyPair> oneTimeDecoded = new java.util.HashMap<>();
    /** The id of the next one-time ML-KEM prekey; 1 while none was ever made (a new or upgraded device). */
    private int nextOneTimeKemId = 1;
    /** One-time ML-KEM prekey id to its private encoding (seed and signature), oldest first. */
    private final LinkedHashMap<Integer, byte[]> oneTimeKem = new LinkedHashMap<>();
    private final java.util.Map<Integer, KemPreKeyPair> oneTimeKemDecoded = new java.util.HashMap<>();

    private OwnKeys(IdentityKeys identity) {
        this.identity = identity;
    }

    /** A new device's keys: identity and signed prekeys (ids 1), no one-time prekeys yet. */
    static OwnKeys generate(SecureRandom rng, long nowMs) {
        var keys = new OwnKeys(IdentityKeys.generate(rng));
        keys.signed = SignedPreKeyPair.generate(keys.identity, 1, rng);
        keys.kem = encodeAndClose(KemPreKeyPair.generate(keys.identity, 1, rng));
        keys.nextPreKeyId = 2;
        keys.nextOneTimeId = 1;
        keys.rotatedMs = nowMs;
        return keys;
    }

    /** Replaces the signed prekeys if they are older than {@link #ROTATE_AFTER}; true if it did. */
    boolean rotateIfDue(long nowMs, SecureRandom rng) {
        if (nowMs - rotatedMs < ROTATE_AFTER.toMillis()) {
            return false;
        }
        close(previousSigned);
        zero(previousKem);
        previousSigned = signed;
        previousKem = kem;
        int id = nextPreKeyId();
        signed = SignedPreKeyPair.generate(identity, id, rng);
        kem = encodeAndClose(KemPreKeyPair.generate(identity, id, rng));
        rotatedMs = nowMs;
        return true;
    }

    /** Makes {@code count} new one-time prekeys (at most {@link #REFILL_TARGET}) and keeps their private halves. */
    List<OneTimePreKeyPair> addOneTime(int count, SecureRandom rng) {
        if (count <= 0) {
            return List.of();
        }
        if (nextOneTimeId > Integer.MAX_VALUE - count) {
            nextOneTimeId = 1;
        }
        var batch = OneTimePreKeyPair.generateBatch(nextOneTimeId, Math.min(count, REFILL_TARGET), rng);
        nextOneTimeId += batch.size();
        for (var k : batch) {
            zero(oneTime.put(k.id(), k.encodePrivate()));
        }
        while (oneTime.size() > MAX_KEPT_ONE_TIME) {
            var it = oneTime.entrySet().iterator();
            var oldest = it.next();
            zero(oldest.getValue());
            close(oneTimeDecoded.remove(oldest.getKey()));
            it.remove();
        }
        return batch;
    }

    /** Whether this device never made a one-time ML-KEM prekey (new, or upgraded from before them). */
    boolean neverMadeOneTimeKem() {
        return nextOneTimeKemId == 1;
    }

    /**
     * Makes {@code count} new signed one-time ML-KEM prekeys (at most {@link #KEM_REFILL_TARGET})
     * and keeps their private halves; the caller closes the returned pairs once uploaded.
     */
    List<KemPreKeyPair> addOneTimeKem(int count, SecureRandom rng) {
        if (count <= 0) {
            return List.of();
        }
        int n = Math.min(count, KEM_REFILL_TARGET);
        if (nextOneTimeKemId > Integer.MAX_VALUE - n) {
            nextOneTimeKemId = 2;
        }
        var batch = KemPreKeyPair.generateOneTimeBatch(identity, nextOneTimeKemId, n, rng);
        nextOneTimeKemId += batch.size();
        for (var k : batch) {
            zero(oneTimeKem.put(k.id(), k.encodePrivate()));
        }
        while (oneTimeKem.size() > MAX_KEPT_ONE_TIME_KEM) {
            var it = oneTimeKem.entrySet().iterator();
            var oldest = it.next();
            zero(oldest.getValue());
            close(oneTimeKemDecoded.remove(oldest.getKey()));
            it.remove();
        }
        return batch;
    }

    /** The upload of {@code fresh} one-time ML-KEM prekeys, with the identity that signed them. */
    KemKeyFrame.KemPreKeysPublish kemPublication(int requestId, List<KemPreKeyPair> fresh) {
        var encoded = new ArrayList<byte[]>(fresh.size());
        for (var k : fresh) {
            encoded.add(k.publicPart().encode());
        }
        return new KemKeyFrame.KemPreKeysPublish(requestId, identity.publicKey().encode(), encoded);
    }

    /**
     * Deletes a one-time ML-KEM prekey once the session it started has decrypted its first
     * message: its seed is zeroed, so a second initial message naming it finds nothing.
     */
    void consumeKem(int oneTimeKemId) {
        zero(oneTimeKem.remove(oneTimeKemId));
        close(oneTimeKemDecoded.remove(oneTimeKemId));
    }

    int oneTimeKemCount() {
        return oneTimeKem.size();
    }

    /** The upload of the identity, the current signed prekeys and {@code fresh} one-time prekeys. */
    KeyFrame.KeysPublish publication(int requestId, List<OneTimePreKeyPair> fresh) {
        var encoded = new ArrayList<byte[]>(fresh.size());
        for (var k : fresh) {
            encoded.add(k.publicPart().encode());
        }
        return new KeyFrame.KeysPublish(requestId, identity.publicKey().encode(), signed.publicPart().encode(),
                decodeKem(kem).publicPart().encode(), encoded);
    }

    /** Deletes a one-time prekey once the session it started has decrypted its first message. */
    void consume(int oneTimeId) {
        zero(oneTime.remove(oneTimeId));
        close(oneTimeDecoded.remove(oneTimeId));
    }

    int oneTimeCount() {
        return oneTime.size();
    }

    @Override
    public Optional<SignedPreKeyPair> signedPreKey(int id) {
        if (signed.id() == id) {
            return Optional.of(signed);
        }
        return previousSigned != null && previousSigned.id() == id ? Optional.of(previousSigned) : Optional.empty();
    }

    @Override
    public Optional<KemPreKeyPair> kemPreKey(int id) {
        for (byte[] encoded : new byte[][] {kem, previousKem}) {
            if (encoded != null && idOf(encoded) == id) {
                return Optional.of(decodeKem(encoded));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<OneTimePreKeyPair> oneTimePreKey(int id) {
        byte[] encoded = oneTime.get(id);
        if (encoded == null) {
            return Optional.empty();
        }
        return Optional.of(oneTimeDecoded.computeIfAbsent(id, k -> {
            try {
                return OneTimePreKeyPair.decodePrivate(encoded);
            } catch (CryptoException e) {
                throw Malformed.damaged(RECORD, e);
            }
        }));
    }

    @Override
    public Optional<KemPreKeyPair> oneTimeKemPreKey(int id) {
        byte[] encoded = oneTimeKem.get(id);
        if (encoded == null) {
            return Optional.empty();
        }
        return Optional.of(oneTimeKemDecoded.computeIfAbsent(id, k -> {
            try {
                return KemPreKeyPair.decodePrivate(encoded);
            } catch (CryptoException e) {
                throw Malformed.damaged(RECORD, e);
            }
        }));
    }

    private KemPreKeyPair decodeKem(byte[] encoded) {
        return kemDecoded.computeIfAbsent(idOf(encoded), k -> {
            try {
                return KemPreKeyPair.decodePrivate(encoded);
            } catch (CryptoException e) {
                throw Malformed.damaged(RECORD, e);
            }
        });
    }

    /** The id inside a prekey's private encoding: {@code u8 version, u32 id, ...}. */
    private static int idOf(byte[] encoded) {
        return ((encoded[1] & 0xFF) << 24) | ((encoded[2] & 0xFF) << 16) | ((encoded[3] & 0xFF) << 8) | (encoded[4] & 0xFF);
    }

    private static byte[] encodeAndClose(KemPreKeyPair pair) {
        try (pair) {
            return pair.encodePrivate();
        }
    }

    private static void zero(byte[] b) {
        if (b != null) {
            java.util.Arrays.fill(b, (byte) 0);
        }
    }

    private int nextPreKeyId() {
        if (nextPreKeyId == Integer.MAX_VALUE) {
            nextPreKeyId = 1;
        }
        return nextPreKeyId++;
    }

    byte[] encode() {
        var out = BinaryWriter.growable(256).u8(VERSION).bytes32(identity.encodePrivate()).u64(rotatedMs).u32(nextPreKeyId)
                .u32(nextOneTimeId).bytes32(signed.encodePrivate());
        out.u8(previousSigned == null ? 0 : 1);
        if (previousSigned != null) {
            out.bytes32(previousSigned.encodePrivate());
        }
        out.bytes32(kem).u8(previousKem == null ? 0 : 1);
        if (previousKem != null) {
            out.bytes32(previousKem);
        }
        out.u16(oneTime.size());
        for (var k : oneTime.values()) {
            out.bytes32(k);
        }
        out.u32(nextOneTimeKemId).u16(oneTimeKem.size());
        for (var k : oneTimeKem.values()) {
            out.bytes32(k);
        }
        return out.toByteArray();
    }

    static OwnKeys decode(byte[] encoded) {
        OwnKeys keys = null;
        try {
            var in = BinaryReader.of(encoded, "end-to-end record", Malformed::of);
            int version = in.u8();
            if (version != VERSION && version != VERSION_WITHOUT_KEM) {
                throw new Malformed("unknown version");
            }
            keys = new OwnKeys(IdentityKeys.decodePrivate(in.bytes32(MAX_ENCODING)));
            keys.rotatedMs = in.u64();
            keys.nextPreKeyId = in.u32();
            keys.nextOneTimeId = in.u32();
            keys.signed = SignedPreKeyPair.decodePrivate(in.bytes32(MAX_ENCODING));
            if (in.flag()) {
                keys.previousSigned = SignedPreKeyPair.decodePrivate(in.bytes32(MAX_ENCODING));
            }
            keys.kem = prekeyEncoding(in.bytes32(MAX_ENCODING));
            if (in.flag()) {
                keys.previousKem = prekeyEncoding(in.bytes32(MAX_ENCODING));
            }
            int n = in.count16(0xFFFF, 4);
            for (int i = 0; i < n; i++) {
                byte[] k = prekeyEncoding(in.bytes32(MAX_ENCODING));
                keys.oneTime.put(idOf(k), k);
            }
            if (version == VERSION) {
                keys.nextOneTimeKemId = in.u32();
                int m = in.count16(0xFFFF, 4);
                for (int i = 0; i < m; i++) {
                    byte[] k = prekeyEncoding(in.bytes32(MAX_ENCODING));
                    keys.oneTimeKem.put(idOf(k), k);
                }
            }
            in.end();
            return keys;
        } catch (Malformed | CryptoException e) {
            if (keys != null) {
                keys.close();
            }
            throw Malformed.damaged(RECORD, e);
        }
    }

    /** A private prekey encoding as stored: checked for its version and id field, decoded only when used. */
    private static byte[] prekeyEncoding(byte[] encoded) throws Malformed {
        if (encoded.length < 5 || encoded[0] != 1) {
            throw new Malformed("prekey of unknown version");
        }
        return encoded;
    }

    @Override
    public void close() {
        identity.close();
        close(signed);
        close(previousSigned);
        zero(kem);
        zero(previousKem);
        kemDecoded.values().forEach(OwnKeys::close);
        oneTime.values().forEach(OwnKeys::zero);
        oneTimeDecoded.values().forEach(OwnKeys::close);
        oneTimeKem.values().forEach(OwnKeys::zero);
        oneTimeKemDecoded.values().forEach(OwnKeys::close);
    }

    private static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a key failed", e);
        }
    }

    @Override
    public String toString() {
        return "OwnKeys[" + identity.publicKey() + ", oneTime=" + oneTime.size() + ", oneTimeKem=" + oneTimeKem.size() + "]";
    }
}
