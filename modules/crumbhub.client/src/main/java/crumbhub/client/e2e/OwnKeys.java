package crumbhub.client.e2e;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.PreKeyLookup;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.wire.Frame;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * This device's private end-to-end keys (DESIGN §5): the identity, the current and previous
 * signed X25519 prekey and signed ML-KEM prekey, and the private halves of the one-time prekeys
 * published and not used yet. Record {@code keys}; secret.
 *
 * <p>Encoding, version 1: {@code u8 1, bytes identity, u64 rotatedMs, u32 nextPreKeyId,
 * u32 nextOneTimeId, bytes signed, u8 hasPrevious, [bytes previousSigned], bytes kem,
 * u8 hasPrevious, [bytes previousKem], u16 n, n × bytes oneTime}, each {@code bytes} the crypto
 * module's private encoding. Not thread-safe; used inside one store transaction.
 */
final class OwnKeys implements PreKeyLookup, AutoCloseable {
    static final String RECORD = "keys";
    private static final int VERSION = 1;
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

    final IdentityKeys identity;
    private SignedPreKeyPair signed;
    private SignedPreKeyPair previousSigned;
    private KemPreKeyPair kem;
    private KemPreKeyPair previousKem;
    private long rotatedMs;
    private int nextPreKeyId;
    private int nextOneTimeId;
    private final LinkedHashMap<Integer, OneTimePreKeyPair> oneTime = new LinkedHashMap<>();

    private OwnKeys(IdentityKeys identity) {
        this.identity = identity;
    }

    /** A new device's keys: identity and signed prekeys (ids 1), no one-time prekeys yet. */
    static OwnKeys generate(SecureRandom rng, long nowMs) {
        var keys = new OwnKeys(IdentityKeys.generate(rng));
        keys.signed = SignedPreKeyPair.generate(keys.identity, 1, rng);
        keys.kem = KemPreKeyPair.generate(keys.identity, 1, rng);
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
        close(previousKem);
        previousSigned = signed;
        previousKem = kem;
        int id = nextPreKeyId();
        signed = SignedPreKeyPair.generate(identity, id, rng);
        kem = KemPreKeyPair.generate(identity, id, rng);
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
            var old = oneTime.put(k.id(), k);
            close(old);
        }
        while (oneTime.size() > MAX_KEPT_ONE_TIME) {
            var it = oneTime.values().iterator();
            close(it.next());
            it.remove();
        }
        return batch;
    }

    /** The upload of the identity, the current signed prekeys and {@code fresh} one-time prekeys. */
    Frame.KeysPublish publication(int requestId, List<OneTimePreKeyPair> fresh) {
        var encoded = new ArrayList<byte[]>(fresh.size());
        for (var k : fresh) {
            encoded.add(k.publicPart().encode());
        }
        return new Frame.KeysPublish(requestId, identity.publicKey().encode(), signed.publicPart().encode(),
                kem.publicPart().encode(), encoded);
    }

    /** Deletes a one-time prekey once the session it started has decrypted its first message. */
    void consume(int oneTimeId) {
        close(oneTime.remove(oneTimeId));
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
        if (kem.id() == id) {
            return Optional.of(kem);
        }
        return previousKem != null && previousKem.id() == id ? Optional.of(previousKem) : Optional.empty();
    }

    @Override
    public Optional<OneTimePreKeyPair> oneTimePreKey(int id) {
        return Optional.ofNullable(oneTime.get(id));
    }

    private int nextPreKeyId() {
        if (nextPreKeyId == Integer.MAX_VALUE) {
            nextPreKeyId = 1;
        }
        return nextPreKeyId++;
    }

    byte[] encode() {
        var out = new Bin.Out().u8(VERSION).bytes(identity.encodePrivate()).u64(rotatedMs).u32(nextPreKeyId)
                .u32(nextOneTimeId).bytes(signed.encodePrivate());
        out.u8(previousSigned == null ? 0 : 1);
        if (previousSigned != null) {
            out.bytes(previousSigned.encodePrivate());
        }
        out.bytes(kem.encodePrivate()).u8(previousKem == null ? 0 : 1);
        if (previousKem != null) {
            out.bytes(previousKem.encodePrivate());
        }
        out.u16(oneTime.size());
        for (var k : oneTime.values()) {
            out.bytes(k.encodePrivate());
        }
        return out.toByteArray();
    }

    static OwnKeys decode(byte[] encoded) {
        OwnKeys keys = null;
        try {
            var in = new Bin.In(encoded);
            if (in.u8() != VERSION) {
                throw new Bin.Malformed("unknown version");
            }
            keys = new OwnKeys(IdentityKeys.decodePrivate(in.bytes(MAX_ENCODING)));
            keys.rotatedMs = in.u64();
            keys.nextPreKeyId = in.u32();
            keys.nextOneTimeId = in.u32();
            keys.signed = SignedPreKeyPair.decodePrivate(in.bytes(MAX_ENCODING));
            if (in.flag()) {
                keys.previousSigned = SignedPreKeyPair.decodePrivate(in.bytes(MAX_ENCODING));
            }
            keys.kem = KemPreKeyPair.decodePrivate(in.bytes(MAX_ENCODING));
            if (in.flag()) {
                keys.previousKem = KemPreKeyPair.decodePrivate(in.bytes(MAX_ENCODING));
            }
            int n = in.count16(4);
            for (int i = 0; i < n; i++) {
                var k = OneTimePreKeyPair.decodePrivate(in.bytes(MAX_ENCODING));
                keys.oneTime.put(k.id(), k);
            }
            in.end();
            return keys;
        } catch (Bin.Malformed | CryptoException e) {
            if (keys != null) {
                keys.close();
            }
            throw Bin.damaged(RECORD, e);
        }
    }

    @Override
    public void close() {
        identity.close();
        close(signed);
        close(previousSigned);
        close(kem);
        close(previousKem);
        for (var k : oneTime.values()) {
            k.close();
        }
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
        return "OwnKeys[" + identity.publicKey() + ", oneTime=" + oneTime.size() + "]";
    }
}
