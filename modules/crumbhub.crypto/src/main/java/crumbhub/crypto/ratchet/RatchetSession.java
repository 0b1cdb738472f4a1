package crumbhub.crypto.ratchet;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Hkdf;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.e2ee.ChainKdf;
import crumbhub.crypto.e2ee.MessageKeys;
import crumbhub.crypto.e2ee.SkippedKeyAges;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.pqxdh.Pqxdh;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One Double Ratchet session with one peer device (spec section 3). Not thread-safe: the client
 * confines a session to one thread or guards it.
 *
 * <ul>
 *   <li>KDF_RK(rk, dh) = HKDF-SHA256(salt = rk, ikm = dh, info = "CrumbHub_Ratchet_Root", 64 bytes):
 *       new root key, new chain key (section 5.2).</li>
 *   <li>KDF_CK(ck) = (HMAC-SHA256(ck, 0x02), HMAC-SHA256(ck, 0x01)): next chain key, message key.</li>
 *   <li>ENCRYPT(mk, pt, ad): AES-256-GCM with key and nonce = HKDF-SHA256(mk, info =
 *       "CrumbHub_Ratchet_Message", 44 bytes); associated data is {@code u16 len, session AD,
 *       header}, the session AD being PQXDH's {@code IK_A || IK_B}.</li>
 * </ul>
 *
 * <p>{@link #decrypt} is transactional: a forged, replayed or corrupted message leaves the session
 * exactly as it was. A message key is deleted once used, so a replay fails. Skipped message keys
 * are bounded by {@link #MAX_SKIP} per step and {@link #MAX_SKIPPED_KEYS} in all, and carry the
 * caller's time when they were skipped so the caller can drop them by age
 * ({@link #expireSkippedKeys}; this class reads no clock).
 */
public final class RatchetSession implements AutoCloseable {
    /**
     * Most message keys one incoming message may make us skip in one chain (spec MAX_SKIP). The
     * server delivers in order, so gaps come only from lost messages or a peer that sent while we
     * were offline from another path; 1000 covers that, while a forged header cannot make us derive
     * (and store) more than 2 x 1000 keys.
     */
    public static final int MAX_SKIP = 1000;
    /** Most skipped keys kept in all; the oldest are dropped first, as those messages are the least likely to still arrive. */
    public static final int MAX_SKIPPED_KEYS = 2000;
    /** Bound on the session associated data (PQXDH's is 258 bytes). */
    public static final int MAX_AD_LENGTH = 1024;

    static final int VERSION = 2;
    /** Serializations without the skipped keys' times: still read. */
    static final int VERSION_UNSTAMPED = 1;
    private static final byte[] ROOT_INFO = "CrumbHub_Ratchet_Root".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_INFO = "CrumbHub_Ratchet_Message".getBytes(StandardCharsets.US_ASCII);

    final byte[] associatedData;
    final byte[] baseKey;
    byte[] pendingInitialMessage;
    RatchetState state;
    final LinkedHashMap<SkippedKey, byte[]> skipped;
    /** The caller's time (epoch ms) when each skipped key was made, or {@link SkippedKeyAges#UNSTAMPED}. */
    final HashMap<SkippedKey, Long> skippedAt;
    private boolean closed;

    RatchetSession(byte[] associatedData, byte[] baseKey, byte[] pendingInitialMessage, RatchetState state,
                   LinkedHashMap<SkippedKey, byte[]> skipped, HashMap<SkippedKey, Long> skippedAt) {
        if (associatedData.length > MAX_AD_LENGTH) {
            throw new IllegalArgumentException("associated data longer than " + MAX_AD_LENGTH);
        }
        this.associatedData = associatedData.clone();
        this.baseKey = baseKey.clone();
        this.pendingInitialMessage = pendingInitialMessage == null ? null : pendingInitialMessage.clone();
        this.state = state;
        this.skipped = skipped;
        this.skippedAt = skippedAt;
    }

    /** A skipped message key's index: the peer's ratchet key and the message number. */
    record SkippedKey(byte[] ratchetKey, int n) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SkippedKey other && n == other.n && Arrays.equals(ratchetKey, other.ratchetKey);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(ratchetKey) + n;
        }
    }

    /**
     * RatchetInitAlice: the initiator's session from SK, AD and the responder's ratchet key (its
     * signed prekey). Draws the first ratchet key pair from {@code rng}.
     *
     * @throws CryptoException if {@code remoteRatchetKey} is a low-order point
     */
    public static RatchetSession initiator(byte[] sharedKey, byte[] associatedData, byte[] remoteRatchetKey, SecureRandom rng)
            throws CryptoException {
        return initiator(sharedKey, associatedData, remoteRatchetKey, new byte[0], null, rng);
    }

    /**
     * The initiator's session after PQXDH. Until the first reply decrypts, every message must travel
     * with {@link #pendingInitialMessage()} so the responder can set up its side.
     */
    public static RatchetSession initiator(Pqxdh.Initiation initiation, SecureRandom rng) throws CryptoException {
        var message = initiation.message();
        return initiator(initiation.sharedKey(), initiation.associatedData(), initiation.remoteRatchetKey(),
                message.ephemeralKey(), message.encode(), rng);
    }

    private static RatchetSession initiator(byte[] sk, byte[] ad, byte[] remote, byte[] baseKey, byte[] pending, SecureRandom rng)
            throws CryptoException {
        requireKey(sk, "shared key");
        requireKey(remote, "remote ratchet key");
        var s = new RatchetState();
        s.setSelf(X25519KeyPair.generate(rng));
        s.remote = remote.clone();
        byte[] dh;
        try {
            dh = s.self.dh(s.remote);
        } catch (CryptoException e) {
            s.self.close();
            throw e;
        }
        try {
            var out = kdfRk(sk, dh);
            s.rootKey = Arrays.copyOf(out, 32);
            s.sendChain = Arrays.copyOfRange(out, 32, 64);
            Bytes.zero(out);
        } finally {
            Bytes.zero(dh);
        }
        return new RatchetSession(ad, baseKey, pending, s, new LinkedHashMap<>(), new HashMap<>());
    }

    /** RatchetInitBob: the responder's session from SK, AD and its signed prekey pair (copied). */
    public static RatchetSession responder(byte[] sharedKey, byte[] associatedData, X25519KeyPair ownRatchetKey) {
        return responder(sharedKey, associatedData, ownRatchetKey, new byte[0]);
    }

    /** The responder's session after PQXDH. */
    public static RatchetSession responder(Pqxdh.Response response) {
        return responder(response.sharedKey(), response.associatedData(), response.ratchetKeyPair(), response.baseKey());
    }

    private static RatchetSession responder(byte[] sk, byte[] ad, X25519KeyPair own, byte[] baseKey) {
        requireKey(sk, "shared key");
        var s = new RatchetState();
        var priv = own.privateKey();
        try {
            s.setSelf(X25519KeyPair.fromPrivate(priv));
        } finally {
            Bytes.zero(priv);
        }
        s.rootKey = sk.clone();
        return new RatchetSession(ad, baseKey, null, s, new LinkedHashMap<>(), new HashMap<>());
    }

    /** Whether this side has a sending chain (the responder gets one with the first message it receives). */
    public boolean canSend() {
        return state.sendChain != null;
    }

    /**
     * The PQXDH initiator's ephemeral public key ("base key"): the same on both sides, so it names the
     * session; a responder that sees an initial message with this key again already has the session.
     * Empty for sessions not made from PQXDH.
     */
    public byte[] baseKey() {
        return baseKey.clone();
    }

    /** The encoded PQXDH initial message to send along, until the peer's first message decrypts. */
    public Optional<byte[]> pendingInitialMessage() {
        return pendingInitialMessage == null ? Optional.empty() : Optional.of(pendingInitialMessage.clone());
    }

    /** Skipped message keys held for messages that may still arrive. */
    public int skippedKeyCount() {
        return skipped.size();
    }

    /**
     * Drops the skipped message keys made more than {@code maxAgeMs} before {@code nowMs} (the
     * caller's clock, as passed to {@link #decrypt(RatchetMessage, SecureRandom, long)}); keys of
     * unknown age (from a version 1 serialization) are given {@code nowMs}. Their messages can no
     * longer be read.
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

    /**
     * RatchetEncrypt (section 3.4): advances the sending chain and encrypts.
     *
     * @throws IllegalStateException if this side cannot send yet ({@link #canSend()}) or is closed
     */
    public RatchetMessage encrypt(byte[] plaintext) {
        ensureOpen();
        if (state.sendChain == null) {
            throw new IllegalStateException("the responder can send only after the first message has arrived");
        }
        if (state.sendN == Integer.MAX_VALUE) {
            throw new IllegalStateException("sending chain exhausted; it resets when the peer replies");
        }
        var seed = ChainKdf.messageKey(state.sendChain);
        var next = ChainKdf.nextChainKey(state.sendChain);
        Bytes.zero(state.sendChain);
        state.sendChain = next;
        int n = state.sendN++;
        var header = RatchetMessage.header(state.selfPublic, state.previousSendN, n);
        try (var keys = MessageKeys.derive(seed, MESSAGE_INFO)) {
            var ciphertext = keys.seal(ad(header), plaintext);
            return new RatchetMessage(state.selfPublic, state.previousSendN, n, ciphertext);
        } finally {
            Bytes.zero(seed);
        }
    }

    /**
     * RatchetDecrypt (section 3.5), transactionally. A DH ratchet step draws the new key pair from
     * {@code rng}.
     *
     * @throws CryptoException if the message does not authenticate, was already decrypted (or its
     *     key was dropped), would skip more than {@link #MAX_SKIP} keys, or carries a low-order key;
     *     the session is then unchanged
     */
    public byte[] decrypt(RatchetMessage message, SecureRandom rng) throws CryptoException {
        return decrypt(message, rng, SkippedKeyAges.UNSTAMPED);
    }

    /**
     * {@link #decrypt(RatchetMessage, SecureRandom)}, stamping the keys this message makes us skip
     * with {@code nowMs} (the caller's clock) for {@link #expireSkippedKeys}.
     */
    public byte[] decrypt(RatchetMessage message, SecureRandom rng, long nowMs) throws CryptoException {
        ensureOpen();
        var header = message.header();
        var ad = ad(header);
        var index = new SkippedKey(message.ratchetKeyUnsafe(), message.messageNumber());
        var stored = skipped.get(index);
        if (stored != null) {
            var plaintext = open(stored, ad, message);
            Bytes.zero(skipped.remove(index));
            skippedAt.remove(index);
            pendingInitialMessage = null;
            return plaintext;
        }
        if (message.messageNumber() == Integer.MAX_VALUE) {
            // A sender never uses the last number (encrypt refuses), so the counter cannot overflow.
            throw new CryptoException("ratchet: message number out of range");
        }
        boolean sameChain = state.remote != null && Arrays.equals(state.remote, message.ratchetKeyUnsafe());
        if (sameChain && message.messageNumber() < state.recvN) {
            throw new CryptoException("ratchet: message already decrypted or its key was dropped");
        }
        var work = state.copy();
        var newlySkipped = new LinkedHashMap<SkippedKey, byte[]>();
        byte[] seed = null;
        boolean committed = false;
        try {
            if (!sameChain) {
                skipTo(work, message.previousChainLength(), newlySkipped);
                dhRatchet(work, message.ratchetKeyUnsafe(), rng);
            }
            skipTo(work, message.messageNumber(), newlySkipped);
            seed = ChainKdf.messageKey(work.recvChain);
            var next = ChainKdf.nextChainKey(work.recvChain);
            Bytes.zero(work.recvChain);
            work.recvChain = next;
            work.recvN++;
            var plaintext = open(seed, ad, message);
            commit(work, newlySkipped, nowMs);
            committed = true;
            return plaintext;
        } finally {
            Bytes.zero(seed);
            if (!committed) {
                if (work.self != state.self) {
                    work.self.close();
                }
                work.wipe();
                newlySkipped.values().forEach(Bytes::zero);
            }
        }
    }

    /** Serializes the whole session (secret; see {@link RatchetCodec}). */
    public byte[] serialize() {
        ensureOpen();
        return RatchetCodec.encode(this);
    }

    /**
     * Restores a session from {@link #serialize()}.
     *
     * @throws CryptoException if malformed, of another version, or over a bound
     */
    public static RatchetSession deserialize(byte[] encoded) throws CryptoException {
        return RatchetCodec.decode(encoded);
    }

    /** Zeroes every key this session holds. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state.wipe();
        state.self.close();
        skipped.values().forEach(Bytes::zero);
        skipped.clear();
        skippedAt.clear();
    }

    @Override
    public String toString() {
        return "RatchetSession[sendN=" + state.sendN + ", recvN=" + state.recvN + ", skipped=" + skipped.size() + ", keys=<redacted>]";
    }

    /** The current sending chain key, for tests that check forward secrecy. */
    byte[] sendingChainKey() {
        return state.sendChain == null ? null : state.sendChain.clone();
    }

    private void commit(RatchetState work, LinkedHashMap<SkippedKey, byte[]> newlySkipped, long nowMs) {
        var old = state;
        state = work;
        if (old.self != work.self) {
            old.self.close();
        }
        old.wipe();
        skipped.putAll(newlySkipped);
        newlySkipped.keySet().forEach(k -> skippedAt.put(k, nowMs));
        var it = skipped.entrySet().iterator();
        while (skipped.size() > MAX_SKIPPED_KEYS) {
            Map.Entry<SkippedKey, byte[]> eldest = it.next();
            Bytes.zero(eldest.getValue());
            skippedAt.remove(eldest.getKey());
            it.remove();
        }
        pendingInitialMessage = null;
    }

    /** SkipMessageKeys (section 3.5) into {@code out}, on the working copy. */
    private static void skipTo(RatchetState work, int until, Map<SkippedKey, byte[]> out) throws CryptoException {
        if ((long) until - work.recvN > MAX_SKIP) {
            throw new CryptoException("ratchet: message would skip more than " + MAX_SKIP + " keys");
        }
        if (work.recvChain == null) {
            return;
        }
        while (work.recvN < until) {
            var seed = ChainKdf.messageKey(work.recvChain);
            var next = ChainKdf.nextChainKey(work.recvChain);
            Bytes.zero(work.recvChain);
            work.recvChain = next;
            out.put(new SkippedKey(work.remote.clone(), work.recvN), seed);
            work.recvN++;
        }
    }

    /** DHRatchet (section 3.5) on the working copy. */
    private static void dhRatchet(RatchetState work, byte[] remote, SecureRandom rng) throws CryptoException {
        work.previousSendN = work.sendN;
        work.sendN = 0;
        work.recvN = 0;
        work.remote = remote.clone();
        var dh = work.self.dh(work.remote);
        var out = kdfRk(work.rootKey, dh);
        Bytes.zero(dh, work.rootKey, work.recvChain);
        work.rootKey = Arrays.copyOf(out, 32);
        work.recvChain = Arrays.copyOfRange(out, 32, 64);
        Bytes.zero(out);
        work.setSelf(X25519KeyPair.generate(rng));
        dh = work.self.dh(work.remote);
        out = kdfRk(work.rootKey, dh);
        Bytes.zero(dh, work.rootKey, work.sendChain);
        work.rootKey = Arrays.copyOf(out, 32);
        work.sendChain = Arrays.copyOfRange(out, 32, 64);
        Bytes.zero(out);
    }

    private byte[] open(byte[] seed, byte[] ad, RatchetMessage message) throws CryptoException {
        try (var keys = MessageKeys.derive(seed, MESSAGE_INFO)) {
            return keys.open(ad, message.ciphertextUnsafe());
        } catch (CryptoException e) {
            throw new CryptoException("ratchet: message does not authenticate", e);
        }
    }

    private byte[] ad(byte[] header) {
        return BinaryWriter.growable(2 + associatedData.length + header.length).bytes16(associatedData).raw(header).toByteArray();
    }

    static byte[] kdfRk(byte[] rootKey, byte[] dhOut) {
        return Hkdf.derive(rootKey, dhOut, ROOT_INFO, 64);
    }

    private static void requireKey(byte[] key, String what) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("ratchet session is closed");
        }
    }
}
