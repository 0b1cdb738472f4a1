package crumbhub.crypto.ratchet;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.e2ee.SkippedKeyAges;
import java.util.HashMap;
import java.util.LinkedHashMap;

/**
 * The versioned serialization of a whole {@link RatchetSession}, for the client's encrypted store.
 * The output holds every secret of the session: the caller encrypts it at rest and zeroes it.
 *
 * <p>Version 2: {@code u8 2, bytes16 ad, bytes16 baseKey (0 or 32), bytes16 pendingInitialMessage
 * (empty = none), rootKey[32], selfPrivate[32], u8 hasRemote [remote[32]], u8 hasSend [sendChain[32]],
 * u32 sendN, u32 previousSendN, u8 hasRecv [recvChain[32]], u32 recvN, u16 skipped, skipped x
 * (ratchetKey[32], u32 n, messageKey[32], u64 skippedAtMs)}, skipped keys oldest first; the time is
 * the caller's when the key was skipped, all ones if unknown. Version 1 (still read) has no time
 * per skipped key: such keys are of unknown age.
 */
final class RatchetCodec {
    private static final int KEY = X25519KeyPair.KEY_LENGTH;
    private static final int MAX_PENDING = 65_535;

    private RatchetCodec() {}

    static byte[] encode(RatchetSession session) {
        var s = session.state;
        var out = BinaryWriter.growable(512 + session.associatedData.length + session.skipped.size() * 68)
                .u8(RatchetSession.VERSION)
                .bytes16(session.associatedData)
                .bytes16(session.baseKey)
                .bytes16(session.pendingInitialMessage == null ? new byte[0] : session.pendingInitialMessage)
                .fixed(s.rootKey, KEY);
        var priv = s.self.privateKey();
        out.fixed(priv, KEY);
        Bytes.zero(priv);
        optional(out, s.remote);
        optional(out, s.sendChain);
        out.u31(s.sendN).u31(s.previousSendN);
        optional(out, s.recvChain);
        out.u31(s.recvN);
        out.u16(session.skipped.size());
        for (var e : session.skipped.entrySet()) {
            out.fixed(e.getKey().ratchetKey(), KEY).u31(e.getKey().n()).fixed(e.getValue(), KEY)
                    .u64(session.skippedAt.getOrDefault(e.getKey(), SkippedKeyAges.UNSTAMPED));
        }
        return out.toByteArray();
    }

    static RatchetSession decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "ratchet session", CryptoException::malformed);
        int version = in.u8("version");
        if (version != RatchetSession.VERSION && version != RatchetSession.VERSION_UNSTAMPED) {
            throw in.malformed("unsupported version " + version);
        }
        var ad = in.bytes16(RatchetSession.MAX_AD_LENGTH);
        var baseKey = in.bytes16(KEY);
        if (baseKey.length != 0 && baseKey.length != KEY) {
            throw in.malformed("base key length");
        }
        var pending = in.bytes16(MAX_PENDING);
        var s = new RatchetState();
        var skipped = new LinkedHashMap<RatchetSession.SkippedKey, byte[]>();
        var skippedAt = new HashMap<RatchetSession.SkippedKey, Long>();
        byte[] priv = null;
        boolean ok = false;
        try {
            s.rootKey = in.fixed(KEY);
            priv = in.fixed(KEY);
            s.remote = optional(in);
            s.sendChain = optional(in);
            s.sendN = in.u31();
            s.previousSendN = in.u31();
            s.recvChain = optional(in);
            s.recvN = in.u31();
            int count = in.u16();
            if (count > RatchetSession.MAX_SKIPPED_KEYS) {
                throw in.malformed("more than " + RatchetSession.MAX_SKIPPED_KEYS + " skipped keys");
            }
            for (int i = 0; i < count; i++) {
                var key = new RatchetSession.SkippedKey(in.fixed(KEY), in.u31());
                if (skipped.put(key, in.fixed(KEY)) != null) {
                    throw in.malformed("duplicate skipped key");
                }
                skippedAt.put(key, version == RatchetSession.VERSION ? in.u64() : SkippedKeyAges.UNSTAMPED);
            }
            in.end();
            s.setSelf(X25519KeyPair.fromPrivate(priv));
            var session = new RatchetSession(ad, baseKey, pending.length == 0 ? null : pending, s, skipped,
                    skippedAt);
            ok = true;
            return session;
        } finally {
            Bytes.zero(priv);
            if (!ok) {
                s.wipe();
                skipped.values().forEach(Bytes::zero);
            }
        }
    }

    private static void optional(BinaryWriter out, byte[] key) {
        out.flag(key != null);
        if (key != null) {
            out.fixed(key, KEY);
        }
    }

    private static byte[] optional(BinaryReader<CryptoException> in) throws CryptoException {
        return in.flag() ? in.fixed(KEY) : null;
    }
}
