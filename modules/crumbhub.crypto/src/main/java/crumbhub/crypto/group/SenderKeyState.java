package crumbhub.crypto.group;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.e2ee.ChainKdf;
import crumbhub.crypto.e2ee.MessageKeys;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import crumbhub.crypto.e2ee.SkippedKeyAges;
import java.util.HashMap;
import java.util.LinkedHashMap;

/**
 * One sender-key chain: the sender's own (it can {@link #encrypt}) or a member's copy of another
 * device's chain (it can {@link #decrypt}). The chain steps like the Double Ratchet's symmetric
 * ratchet: message key seed = HMAC-SHA256(ck, 0x01), next ck = HMAC-SHA256(ck, 0x02); the seed
 * expands through HKDF-SHA256 ("CrumbHub_SenderKey_Message") into an AES-256-GCM key and nonce.
 * The GCM associated data binds the room, the sending device, the chain id and the iteration, and
 * the chain's Ed25519 key signs every message, so a member who knows the chain key still cannot
 * forge another member's messages.
 *
 * <p>{@link #decrypt} is transactional: a forged, replayed or out-of-window message changes
 * nothing. Keys of skipped iterations are kept (bounded) for late messages and deleted once used;
 * each carries the caller's time when it was skipped, so the caller can drop them by age
 * ({@link #expireSkippedKeys}; this class reads no clock).
 * Not thread-safe. {@link #close()} zeroes every key.
 *
 * <p>Serialization, version 2 (secret): {@code u8 2, str8 roomId, str8 senderId, u32 chainId,
 * u32 iteration, chainKey[32], u8 own, own ? signingSeed[32] : signingPublic[32], u16 n,
 * n x (u32 iteration, messageKeySeed[32], u64 skippedAtMs)}, skipped keys oldest first, the time
 * all ones if unknown. Version 1 (still read) has no times: its keys are of unknown age.
 */
public final class SenderKeyState implements AutoCloseable {
    /**
     * Most iterations one message may jump ahead. Room traffic reaches a device in server order, so
     * a gap means lost messages; 1000 covers that while bounding what a forged iteration costs.
     */
    public static final int MAX_SKIP = 1000;
    /** Most skipped message keys kept per chain; the oldest go first. */
    public static final int MAX_SKIPPED_KEYS = 1000;

    static final int VERSION = 2;
    /** Serializations without the skipped keys' times: still read. */
    static final int VERSION_UNSTAMPED = 1;
    private static final byte[] MESSAGE_INFO = "CrumbHub_SenderKey_Message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AD_LABEL = "CrumbHub SenderKey AD v1".getBytes(StandardCharsets.US_ASCII);

    private final String roomId;
    private final String senderId;
    private final int chainId;
    private int iteration;
    private byte[] chainKey;
    private final Ed25519KeyPair signing;
    private final byte[] signingPublic;
    private final LinkedHashMap<Integer, byte[]> skipped;
    /** The caller's time (epoch ms) when each skipped key was made, or {@link SkippedKeyAges#UNSTAMPED}. */
    private final HashMap<Integer, Long> skippedAt = new HashMap<>();
    private boolean closed;

    private SenderKeyState(String roomId, String senderId, int chainId, int iteration, byte[] chainKey,
                           Ed25519KeyPair signing, byte[] signingPublic, LinkedHashMap<Integer, byte[]> skipped) {
        this.roomId = Ids.require(roomId, "room id");
        this.senderId = Ids.require(senderId, "sender id");
        this.chainId = chainId;
        this.iteration = iteration;
        this.chainKey = chainKey;
        this.signing = signing;
        this.signingPublic = signingPublic;
        this.skipped = skipped;
    }

    /**
     * A new own chain for {@code roomId}, sent by device {@code senderId}: random chain id, chain key
     * and signing key, all drawn from {@code rng}.
     */
    public static SenderKeyState create(String roomId, String senderId, SecureRandom rng) {
        return create(roomId, senderId, -1, rng);
    }

    private static SenderKeyState create(String roomId, String senderId, int avoidChainId, SecureRandom rng) {
        int chainId;
        do {
            chainId = rng.nextInt() & Integer.MAX_VALUE;
        } while (chainId == avoidChainId);
        var chainKey = new byte[ChainKdf.KEY_LENGTH];
        rng.nextBytes(chainKey);
        var signing = Ed25519KeyPair.generate(rng);
        return new SenderKeyState(roomId, senderId, chainId, 0, chainKey, signing, signing.publicKey(), new LinkedHashMap<>());
    }

    /**
     * Rotation (after a member left or was removed): a fresh own chain for the same room and device
     * with a different chain id. Holders of this chain's distribution cannot read the new one.
     */
    public SenderKeyState rotate(SecureRandom rng) {
        requireOwn();
        return create(roomId, senderId, chainId, rng);
    }

    /**
     * A member's copy of device {@code senderId}'s chain, from a distribution that arrived in the
     * pairwise session with that device (the caller vouches for {@code senderId} that way). It reads
     * messages from the distribution's iteration on, none before.
     */
    public static SenderKeyState fromDistribution(String senderId, SenderKeyDistribution distribution) {
        return new SenderKeyState(distribution.roomId(), senderId, distribution.chainId(), distribution.iteration(),
                distribution.chainKey(), null, distribution.signingKey(), new LinkedHashMap<>());
    }

    public String roomId() {
        return roomId;
    }

    public String senderId() {
        return senderId;
    }

    public int chainId() {
        return chainId;
    }

    /** The next iteration this chain will send or expects. */
    public int iteration() {
        return iteration;
    }

    /** Whether this is the sender's own chain. */
    public boolean isOwn() {
        return signing != null;
    }

    public int skippedKeyCount() {
        return skipped.size();
    }

    /**
     * Drops the skipped message keys made more than {@code maxAgeMs} before {@code nowMs} (the
     * caller's clock, as passed to {@link #decrypt(SenderKeyMessage, long)}); keys of unknown age
     * (from a version 1 serialization) are given {@code nowMs}. Their messages can no longer be read.
     *
     * @return how many keys were dropped
     */
    public int expireSkippedKeys(long nowMs, long maxAgeMs) {
        ensureOpen();
        return SkippedKeyAges.expire(skipped, skippedAt, nowMs, maxAgeMs);
    }

    /** When the oldest skipped key was made (epoch ms), -1 if one is of unknown age, {@code Long.MAX_VALUE} if none is kept. */
    public long oldestSkippedKeyMs() {
        return SkippedKeyAges.oldest(skipped, skippedAt);
    }

    /** What to send to a member device: the chain from the current iteration on. Own chains only. */
    public SenderKeyDistribution distribution() {
        requireOwn();
        return new SenderKeyDistribution(roomId, chainId, iteration, chainKey, signingPublic);
    }

    /**
     * Encrypts and signs the next message; the chain advances and the used key is erased.
     *
     * @throws IllegalStateException if this is not an own chain, is closed, or is exhausted (rotate)
     */
    public SenderKeyMessage encrypt(byte[] plaintext) {
        requireOwn();
        if (iteration == Integer.MAX_VALUE) {
            throw new IllegalStateException("sender key chain exhausted; rotate it");
        }
        var seed = ChainKdf.messageKey(chainKey);
        var next = ChainKdf.nextChainKey(chainKey);
        Bytes.zero(chainKey);
        chainKey = next;
        int n = iteration++;
        try (var keys = MessageKeys.derive(seed, MESSAGE_INFO)) {
            var ciphertext = keys.seal(ad(n), plaintext);
            var signature = signing.sign(SenderKeyMessage.signedBytes(chainId, n, ciphertext));
            return new SenderKeyMessage(chainId, n, ciphertext, signature);
        } finally {
            Bytes.zero(seed);
        }
    }

    /**
     * Verifies and decrypts a message of this chain, transactionally.
     *
     * @throws CryptoException if the message belongs to another chain, its signature or tag does not
     *     verify, it was already decrypted or is older than this copy of the chain, or it jumps more
     *     than {@link #MAX_SKIP} iterations ahead; the state is then unchanged
     * @throws IllegalStateException for an own chain or a closed state
     */
    public byte[] decrypt(SenderKeyMessage message) throws CryptoException {
        return decrypt(message, SkippedKeyAges.UNSTAMPED);
    }

    /** {@link #decrypt(SenderKeyMessage)}, stamping the keys it skips with {@code nowMs} (the caller's clock) for {@link #expireSkippedKeys}. */
    public byte[] decrypt(SenderKeyMessage message, long nowMs) throws CryptoException {
        ensureOpen();
        if (isOwn()) {
            throw new IllegalStateException("own chain: the sender keeps its plaintext");
        }
        if (message.chainId() != chainId) {
            throw new CryptoException("sender key: unknown chain " + message.chainId() + " (rotated, or never distributed to us)");
        }
        int n = message.iteration();
        // Cheap refusals first: a flood of replays or wild iterations costs no signature check.
        if (n < iteration && !skipped.containsKey(n)) {
            throw new CryptoException("sender key: message already decrypted or older than our copy of the chain");
        }
        if ((long) n - iteration > MAX_SKIP) {
            throw new CryptoException("sender key: message would skip more than " + MAX_SKIP + " iterations");
        }
        if (n == Integer.MAX_VALUE) {
            // A sender never uses the last iteration (encrypt refuses), so the counter cannot overflow.
            throw new CryptoException("sender key: iteration out of range");
        }
        var signed = SenderKeyMessage.signedBytes(chainId, n, message.ciphertextUnsafe());
        if (!Ed25519KeyPair.verify(signingPublic, signed, message.signatureUnsafe())) {
            throw new CryptoException("sender key: signature does not verify");
        }
        if (n < iteration) {
            var seed = skipped.get(n);
            var plaintext = open(seed, n, message);
            Bytes.zero(skipped.remove(n));
            skippedAt.remove(n);
            return plaintext;
        }
        var newlySkipped = new LinkedHashMap<Integer, byte[]>();
        var ck = chainKey.clone();
        byte[] seed = null;
        boolean committed = false;
        try {
            for (int i = iteration; i < n; i++) {
                newlySkipped.put(i, ChainKdf.messageKey(ck));
                var next = ChainKdf.nextChainKey(ck);
                Bytes.zero(ck);
                ck = next;
            }
            seed = ChainKdf.messageKey(ck);
            var next = ChainKdf.nextChainKey(ck);
            Bytes.zero(ck);
            ck = next;
            var plaintext = open(seed, n, message);
            Bytes.zero(chainKey);
            chainKey = ck;
            iteration = n + 1;
            skipped.putAll(newlySkipped);
            newlySkipped.keySet().forEach(k -> skippedAt.put(k, nowMs));
            var it = skipped.entrySet().iterator();
            while (skipped.size() > MAX_SKIPPED_KEYS) {
                var eldest = it.next();
                Bytes.zero(eldest.getValue());
                skippedAt.remove(eldest.getKey());
                it.remove();
            }
            committed = true;
            return plaintext;
        } finally {
            Bytes.zero(seed);
            if (!committed) {
                Bytes.zero(ck);
                newlySkipped.values().forEach(Bytes::zero);
            }
        }
    }

    /** The versioned serialization (secret: the caller encrypts it at rest and zeroes it). */
    public byte[] serialize() {
        ensureOpen();
        var out = BinaryWriter.growable(200 + skipped.size() * 36).u8(VERSION).str8(roomId).str8(senderId).u31(chainId).u31(iteration)
                .fixed(chainKey, ChainKdf.KEY_LENGTH).flag(isOwn());
        if (isOwn()) {
            var seed = signing.privateKey();
            out.fixed(seed, Ed25519KeyPair.PRIVATE_KEY_LENGTH);
            Bytes.zero(seed);
        } else {
            out.fixed(signingPublic, Ed25519KeyPair.PUBLIC_KEY_LENGTH);
        }
        out.u16(skipped.size());
        for (var e : skipped.entrySet()) {
            out.u31(e.getKey()).fixed(e.getValue(), ChainKdf.KEY_LENGTH)
                    .u64(skippedAt.getOrDefault(e.getKey(), SkippedKeyAges.UNSTAMPED));
        }
        return out.toByteArray();
    }

    /** @throws CryptoException if malformed, of another version, or over a bound */
    public static SenderKeyState deserialize(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "sender key state", CryptoException::malformed);
        int version = in.u8("version");
        if (version != VERSION && version != VERSION_UNSTAMPED) {
            throw in.malformed("unsupported version " + version);
        }
        var room = in.str8(Ids.MAX_BYTES);
        var sender = in.str8(Ids.MAX_BYTES);
        if (room.isEmpty() || sender.isEmpty()) {
            throw in.malformed("empty room or sender id");
        }
        int chainId = in.u31();
        int iteration = in.u31();
        var chainKey = in.fixed(ChainKdf.KEY_LENGTH);
        var skipped = new LinkedHashMap<Integer, byte[]>();
        var skippedAt = new HashMap<Integer, Long>();
        byte[] key = null;
        boolean ok = false;
        try {
            boolean own = in.flag();
            key = in.fixed(32);
            int count = in.u16();
            if (count > MAX_SKIPPED_KEYS) {
                throw in.malformed("more than " + MAX_SKIPPED_KEYS + " skipped keys");
            }
            for (int i = 0; i < count; i++) {
                int n = in.u31();
                var seed = in.fixed(ChainKdf.KEY_LENGTH);
                if (n >= iteration || skipped.put(n, seed) != null) {
                    throw in.malformed("skipped key index out of range or repeated");
                }
                skippedAt.put(n, version == VERSION ? in.u64() : SkippedKeyAges.UNSTAMPED);
            }
            in.end();
            var signing = own ? Ed25519KeyPair.fromPrivate(key) : null;
            var state = new SenderKeyState(room, sender, chainId, iteration, chainKey, signing,
                    own ? signing.publicKey() : key.clone(), skipped);
            state.skippedAt.putAll(skippedAt);
            ok = true;
            return state;
        } finally {
            Bytes.zero(key);
            if (!ok) {
                Bytes.zero(chainKey);
                skipped.values().forEach(Bytes::zero);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Bytes.zero(chainKey);
        skipped.values().forEach(Bytes::zero);
        skipped.clear();
        skippedAt.clear();
        if (signing != null) {
            signing.close();
        }
    }

    @Override
    public String toString() {
        return "SenderKeyState[room=" + roomId + ", sender=" + senderId + ", chainId=" + chainId + ", iteration=" + iteration
                + (isOwn() ? ", own" : "") + ", keys=<redacted>]";
    }

    private byte[] open(byte[] seed, int n, SenderKeyMessage message) throws CryptoException {
        try (var keys = MessageKeys.derive(seed, MESSAGE_INFO)) {
            return keys.open(ad(n), message.ciphertextUnsafe());
        } catch (CryptoException e) {
            throw new CryptoException("sender key: message does not authenticate", e);
        }
    }

    private byte[] ad(int n) {
        return BinaryWriter.growable(AD_LABEL.length + 520).raw(AD_LABEL).str8(roomId).str8(senderId).u31(chainId).u31(n).toByteArray();
    }

    private void requireOwn() {
        ensureOpen();
        if (!isOwn()) {
            throw new IllegalStateException("not an own sender key chain");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("sender key state is closed");
        }
    }
}
