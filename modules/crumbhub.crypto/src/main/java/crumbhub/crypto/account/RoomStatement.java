package crumbhub.crypto.account;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a room's membership log (docs/crypto.md "Room membership"): {@code actor} did
 * {@code action} (to {@code subject}) in {@code room}, as entry number {@code seq} following the
 * entry whose SHA-256 is {@code previous}, signed by the actor's account identity of epoch
 * {@code epoch}. Entry 0 is a {@link Action#CREATE} by the room's owner that lists the members
 * (in join order, the owner excluded) and invitations the room starts with: empty for a new
 * room, the existing ones when an owner signs a room made before the log existed. Immutable;
 * decoding checks bounds only, whether it verifies is {@link #verifies}'s question.
 *
 * <p>Encoding, version 1: {@code u8 1, str8 room, u32 seq, bytes8 previous (0 or 32 bytes),
 * str8 actor, u8 action, str8 subject, u16 n, n × str8 member, u16 m, m × str8 invited,
 * u64 timeMs, u32 epoch, AccountSignature}. Signed message: {@code "CrumbHub room statement v1",
 * bytes8 SHA-256(account public key)}, then the encoding from {@code room} to {@code epoch}.
 */
public record RoomStatement(String room, int seq, byte[] previous, String actor, Action action, String subject,
                            List<String> members, List<String> invited, long timeMs, int epoch,
                            AccountSignature signature) {
    public static final int VERSION = 1;
    private static final byte[] LABEL = "CrumbHub room statement v1".getBytes(StandardCharsets.US_ASCII);
    /** A SHA-256 digest: the length of {@code previous} for every entry but the first. */
    public static final int HASH_LENGTH = 32;
    /** Names in one list: a room holds at most 1,000 members and invitations (server.md "Rooms"). */
    public static final int MAX_NAMES = 1_000;
    /** The largest encoding: 1,000 names of 32 bytes and a signature, what a wire field must hold. */
    public static final int MAX_ENCODED_LENGTH = 1 + 33 + 4 + 33 + 33 + 1 + 33 + 4 + MAX_NAMES * 33 + 8 + 4
            + AccountSignature.MAX_ENCODED_LENGTH;

    /** What the actor did; the codes are part of the encoding. */
    public enum Action {
        /** Entry 0: the actor owns the room, which starts with {@code members} and {@code invited}. */
        CREATE(1),
        /** The actor (the owner) invites {@code subject}. */
        INVITE(2),
        /** The actor, invited, joins. */
        JOIN(3),
        /** The actor leaves (ownership passes to the longest-standing member), or declines an invitation. */
        LEAVE(4),
        /** The actor (the owner) removes {@code subject}, a member or an invitee. */
        KICK(5);

        private final int code;

        Action(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Action ofCode(int code) {
            for (Action a : values()) {
                if (a.code == code) {
                    return a;
                }
            }
            return null;
        }
    }

    public RoomStatement {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(signature, "signature");
        members = List.copyOf(members);
        invited = List.copyOf(invited);
        previous = previous.clone();
    }

    /** Signs a new entry with {@code account}. */
    public static RoomStatement sign(AccountKeyPair account, String room, int seq, byte[] previous, String actor,
                                     Action action, String subject, List<String> members, List<String> invited,
                                     long timeMs, SecureRandom rng) {
        byte[] body = body(room, seq, previous, actor, action, subject, members, invited, timeMs, account.epoch());
        var signature = account.sign(message(account.publicKey(), body), rng);
        return new RoomStatement(room, seq, previous, actor, action, subject, members, invited, timeMs, account.epoch(),
                signature);
    }

    /** Whether {@code account} (the actor's account identity) signed exactly this entry. */
    public boolean verifies(AccountPublicKey account) {
        if (epoch != account.epoch()) {
            return false;
        }
        byte[] body = body(room, seq, previous, actor, action, subject, members, invited, timeMs, epoch);
        return account.verify(message(account, body), signature);
    }

    /** SHA-256 of the whole encoding: what the next entry names as its {@code previous}. */
    public byte[] hash() {
        return sha256(encode());
    }

    @Override
    public byte[] previous() {
        return previous.clone();
    }

    private static byte[] body(String room, int seq, byte[] previous, String actor, Action action, String subject,
                               List<String> members, List<String> invited, long timeMs, int epoch) {
        var w = BinaryWriter.growable(256).str8(room).u32(seq).bytes8(previous).str8(actor).u8(action.code())
                .str8(subject).u16(members.size());
        members.forEach(w::str8);
        w.u16(invited.size());
        invited.forEach(w::str8);
        return w.u64(timeMs).u32(epoch).toByteArray();
    }

    private static byte[] message(AccountPublicKey account, byte[] body) {
        return BinaryWriter.growable(body.length + 64).raw(LABEL).bytes8(sha256(account.encode())).raw(body).toByteArray();
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance(Algorithms.SHA256).digest(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] encode() {
        byte[] body = body(room, seq, previous, actor, action, subject, members, invited, timeMs, epoch);
        var out = BinaryWriter.growable(body.length + 3_500).u8(VERSION).raw(body);
        signature.write(out);
        return out.toByteArray();
    }

    /** @throws CryptoException if it is malformed or over a bound */
    public static RoomStatement decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "room statement", CryptoException::malformed);
        in.version(VERSION);
        String room = in.str8();
        int seq = in.u31("seq");
        byte[] previous = in.bytes8(HASH_LENGTH, "previous");
        if (previous.length != 0 && previous.length != HASH_LENGTH) {
            throw new CryptoException("room statement: previous hash of " + previous.length + " bytes");
        }
        String actor = in.str8();
        int code = in.u8("action");
        Action action = Action.ofCode(code);
        if (action == null) {
            throw new CryptoException("room statement: unknown action " + code);
        }
        String subject = in.str8();
        List<String> members = names(in);
        List<String> invited = names(in);
        long timeMs = in.u64();
        int epoch = in.u32();
        var signature = AccountSignature.read(in);
        in.end();
        return new RoomStatement(room, seq, previous, actor, action, subject, members, invited, timeMs, epoch, signature);
    }

    private static List<String> names(BinaryReader<CryptoException> in) throws CryptoException {
        int n = in.count16(MAX_NAMES, 2, "names");
        var out = new java.util.ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.str8());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomStatement s && Arrays.equals(encode(), s.encode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(room, seq, actor, action, subject);
    }

    @Override
    public String toString() {
        return "RoomStatement[#" + room + " " + seq + ": " + actor + " " + action + (subject.isEmpty() ? "" : " " + subject) + "]";
    }
}
