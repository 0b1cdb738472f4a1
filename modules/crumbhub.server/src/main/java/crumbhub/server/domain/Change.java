package crumbhub.server.domain;

import java.util.List;

/**
 * Every change of the server's durable state. {@link State#apply(Change)} is the only way the
 * state changes, both live and when the log is replayed, so a change must carry everything it
 * needs (ids, sequence numbers, timestamps) and never read a clock or a random source.
 * {@link ChangeCodec} gives each one a versioned binary encoding.
 *
 * <p>Records that hold secrets or message bodies redact them in {@code toString}.
 */
public sealed interface Change {

    /** A new account; {@code inviteHash} is the SHA-256 of the invite code used, or empty. */
    record UserRegistered(String user, String passwordHash, long atMs, byte[] inviteHash) implements Change {
        @Override
        public String toString() {
            return "UserRegistered[user=" + user + ", atMs=" + atMs + "]";
        }
    }

    /** The user's password hash was replaced (a rehash with stronger parameters). */
    record PasswordChanged(String user, String passwordHash) implements Change {
        @Override
        public String toString() {
            return "PasswordChanged[user=" + user + "]";
        }
    }

    record UserBanned(String user, boolean banned, long atMs) implements Change {}

    /** A device bound to a Noise static key, with the SHA-256 of its current token. */
    record DeviceAdded(String user, int deviceId, String name, byte[] publicKey, byte[] tokenHash, long atMs)
            implements Change {
        @Override
        public String toString() {
            return "DeviceAdded[user=" + user + ", deviceId=" + deviceId + ", atMs=" + atMs + "]";
        }
    }

    /** A password login resumed an existing device: new token, last seen now. */
    record DeviceLoggedIn(String user, int deviceId, byte[] tokenHash, long atMs) implements Change {
        @Override
        public String toString() {
            return "DeviceLoggedIn[user=" + user + ", deviceId=" + deviceId + ", atMs=" + atMs + "]";
        }
    }

    record DeviceSeen(String user, int deviceId, long atMs) implements Change {}

    record DeviceRevoked(String user, int deviceId, long atMs) implements Change {}

    /** An invite code, stored only as its SHA-256. */
    record InviteCreated(byte[] codeHash, int maxUses, long expiresMs, long atMs) implements Change {
        @Override
        public String toString() {
            return "InviteCreated[maxUses=" + maxUses + ", expiresMs=" + expiresMs + "]";
        }
    }

    record RoomCreated(String room, String owner, long atMs) implements Change {}

    record RoomInvited(String room, String user, long atMs) implements Change {}

    record RoomJoined(String room, String user, long atMs) implements Change {}

    /** The user left the room, or declined its invitation. */
    record RoomLeft(String room, String user, long atMs) implements Change {}

    /** The owner removed a member or withdrew an invitation. */
    record RoomKicked(String room, String user, long atMs) implements Change {}

    /**
     * A signed membership statement (docs/protocol.md §8) appended to {@code room}'s log, with its
     * effect: {@code action} is its {@code RoomStatement.Action} code, done by {@code actor} (to
     * {@code subject}). A CREATE of a room that exists (an owner signing a room made before the log)
     * only appends. Applying it is all or nothing: one record carries both.
     */
    record RoomSigned(String room, String actor, int action, String subject, byte[] statement, long atMs)
            implements Change {
        @Override
        public String toString() {
            return "RoomSigned[room=" + room + ", actor=" + actor + ", action=" + action + ", subject=" + subject
                    + ", bytes=" + statement.length + "]";
        }
    }

    /**
     * Every copy of {@code sender}'s message {@code messageId} still held is dropped from the
     * mailboxes and the store (RETRACT, after an end-to-end delete: docs/protocol.md). Messages of
     * other senders with the same id are kept.
     */
    record MessageRetracted(String sender, byte[] messageId) implements Change {
        @Override
        public String toString() {
            return "MessageRetracted[sender=" + sender + "]";
        }
    }

    /** A stored message. Its recipients are the devices that {@link State#recipients} names when it is applied. */
    record MessageStored(long seq, long tsMs, Kind kind, String target, String sender, int senderDevice,
                         byte[] messageId, int alg, byte[] body) implements Change {
        @Override
        public String toString() {
            return "MessageStored[seq=" + seq + ", kind=" + kind + ", target=" + target + ", sender=" + sender
                    + ", senderDevice=" + senderDevice + ", bodyBytes=" + body.length + "]";
        }
    }

    /**
     * The device published its end-to-end keys (checked by {@link KeyCheck}): its identity (fixed
     * from the first publication on), its signed prekeys (replaced) and one-time prekeys (added).
     */
    record KeysPublished(String user, int deviceId, byte[] identity, byte[] signedPreKey, byte[] kemPreKey,
                         List<OneTimeKey> oneTimePreKeys) implements Change {
        public KeysPublished {
            oneTimePreKeys = List.copyOf(oneTimePreKeys);
        }

        @Override
        public String toString() {
            return "KeysPublished[user=" + user + ", deviceId=" + deviceId + ", oneTime=" + oneTimePreKeys.size() + "]";
        }
    }

    /** A one-time prekey of the device was handed out in a bundle and leaves the pool. */
    record OneTimePreKeyTaken(String user, int deviceId, int keyId) implements Change {}

    /**
     * The device published signed one-time ML-KEM prekeys (checked by {@link KeyCheck} against its
     * published identity); keys with new ids join its pool.
     */
    record KemPreKeysPublished(String user, int deviceId, List<OneTimeKey> oneTimeKemPreKeys) implements Change {
        public KemPreKeysPublished {
            oneTimeKemPreKeys = List.copyOf(oneTimeKemPreKeys);
        }

        @Override
        public String toString() {
            return "KemPreKeysPublished[user=" + user + ", deviceId=" + deviceId + ", keys=" + oneTimeKemPreKeys.size() + "]";
        }
    }

    /** A one-time ML-KEM prekey of the device was handed out in a bundle and leaves the pool for good. */
    record OneTimeKemPreKeyTaken(String user, int deviceId, int keyId) implements Change {}

    /**
     * Messages for single devices (SEND_DEVICES): entry {@code i} gets seq {@code firstSeq + i} and
     * goes to that device's mailbox only.
     */
    record DeviceMessagesStored(long firstSeq, long tsMs, Kind kind, String target, String sender, int senderDevice,
                                byte[] messageId, int alg, List<DeviceEntry> entries) implements Change {
        public DeviceMessagesStored {
            entries = List.copyOf(entries);
        }

        @Override
        public String toString() {
            return "DeviceMessagesStored[firstSeq=" + firstSeq + ", kind=" + kind + ", target=" + target + ", sender="
                    + sender + ", senderDevice=" + senderDevice + ", entries=" + entries.size() + "]";
        }
    }

    /** One recipient device of {@link DeviceMessagesStored} and its ciphertext. */
    record DeviceEntry(String user, int deviceId, byte[] body) {
        @Override
        public String toString() {
            return "DeviceEntry[user=" + user + ", deviceId=" + deviceId + ", bodyBytes=" + body.length + "]";
        }
    }

    /**
     * The account's identity, recovery escrow and device certificates as a device of it published
     * them (protocol §7); an empty identity or escrow keeps the stored one. A new identity drops
     * every certificate stored before it (they were signed by the identity it replaces).
     */
    record AccountPublished(String user, byte[] identity, byte[] escrow, List<DeviceCertificate> certificates)
            implements Change {
        public AccountPublished {
            certificates = List.copyOf(certificates);
        }

        @Override
        public String toString() {
            return "AccountPublished[user=" + user + ", identity=" + (identity.length > 0) + ", escrow="
                    + (escrow.length > 0) + ", certificates=" + certificates.size() + "]";
        }
    }

    /** One device certificate of {@link AccountPublished}. */
    record DeviceCertificate(int deviceId, byte[] certificate) {
        @Override
        public String toString() {
            return "DeviceCertificate[deviceId=" + deviceId + "]";
        }
    }

    /** The device acknowledged everything up to {@code seq}. */
    record CursorMoved(String user, int deviceId, long seq) implements Change {}

    /** Messages with seq up to {@code throughSeq} passed the retention limit and are dropped. */
    record MessagesExpired(long throughSeq) implements Change {}

    /**
     * The seq lease (server.md §5): seqs up to {@code upTo} may be pushed before their records are
     * durable, so no seq up to it is ever handed out again, even after a crash. Applying it also
     * moves {@code lastSeq} up to {@code skipTo}: a state rebuilt from durable records (a restart,
     * a rollback after a storage fault) skips the seqs the lease covered, which may have been
     * pushed and then lost. Live renewals skip nothing ({@code skipTo} 0).
     */
    record SeqLeased(long skipTo, long upTo) implements Change {}
}
