package crumbhub.server.domain;

import crumbhub.crypto.Algorithms;
import crumbhub.server.domain.Change.CursorMoved;
import crumbhub.server.domain.Change.DeviceAdded;
import crumbhub.server.domain.Change.DeviceLoggedIn;
import crumbhub.server.domain.Change.DeviceRevoked;
import crumbhub.server.domain.Change.DeviceSeen;
import crumbhub.server.domain.Change.InviteCreated;
import crumbhub.server.domain.Change.MessageStored;
import crumbhub.server.domain.Change.MessagesExpired;
import crumbhub.server.domain.Change.PasswordChanged;
import crumbhub.server.domain.Change.UserBanned;
import crumbhub.server.domain.Change.UserRegistered;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The server's rules: every request that reads or changes accounts, devices, rooms and
 * messages. A command checks everything first and throws {@link Rejected} without changing
 * anything, or builds its {@link Change}s, applies each with {@link State#apply} and hands it
 * to the journal (which makes it durable). No I/O: the clock and randomness are passed in;
 * password hashing happens elsewhere and only encoded hashes come in.
 *
 * <p>Not thread-safe: owned by the core thread.
 */
public final class Domain {
    /** A device token is 32 random bytes (protocol §2 {@code token}). */
    public static final int TOKEN_BYTES = 32;
    /** Uses one invite code may allow. */
    public static final int MAX_INVITE_USES = 100_000;
    /** One-time prekeys kept per device: two refills of 100, so a burst of new contacts does not run dry. */
    public static final int MAX_ONE_TIME_PREKEYS = 200;
    /** Below this many one-time prekeys the device is told to refill (KEYS_STATUS push). */
    public static final int ONE_TIME_PREKEYS_LOW = 20;
    /**
     * One-time ML-KEM prekeys kept per device (docs/protocol.md §6): each is 1,253 bytes, so a full
     * pool is about 125 KB; two uploads of 40 and room for a refill racing another process.
     */
    public static final int MAX_ONE_TIME_KEM_PREKEYS = 100;
    /** Below this many one-time ML-KEM prekeys the device is told to refill (KEM_PREKEYS_STATUS push). */
    public static final int ONE_TIME_KEM_PREKEYS_LOW = 10;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final State state;
    private final Clock clock;
    private final SecureRandom random;
    private final Consumer<Change> journal;
    private final RoomRules rooms;
    private final KeyRules keys;
    private final QuotaRules quotas;
    private final AccountRules accounts;

    /** With the {@link Quotas#defaults() default quotas}. */
    public Domain(State state, Clock clock, SecureRandom random, Consumer<Change> journal) {
        this(state, clock, random, journal, Quotas.defaults());
    }

    /** @param journal receives every applied change, in order, to make it durable */
    public Domain(State state, Clock clock, SecureRandom random, Consumer<Change> journal, Quotas quotas) {
        this.state = Objects.requireNonNull(state);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.journal = Objects.requireNonNull(journal);
        this.quotas = new QuotaRules(state, Objects.requireNonNull(quotas, "quotas"));
        this.rooms = new RoomRules(state, clock, this::commit, this.quotas);
        this.keys = new KeyRules(state, this::commit);
        this.accounts = new AccountRules(state, this::commit);
    }

    /** The quotas this domain enforces. */
    public Quotas quotas() {
        return quotas.quotas();
    }

    /** Requests refused by one quota since start (metrics). Any thread. */
    public long quotaRefusals(Quotas.Kind kind) {
        return quotas.refusals(kind);
    }

    /** Counts a refusal by a quota enforced outside the domain (the history backup's). Any thread. */
    public void countQuotaRefusal(Quotas.Kind kind) {
        quotas.refused(kind);
    }

    public State state() {
        return state;
    }

    /** End-to-end key distribution. */
    public KeyRules keys() {
        return keys;
    }

    /** Account identities, recovery escrows and device certificates (protocol §7). */
    public AccountRules accounts() {
        return accounts;
    }

    /** Room commands and listings. */
    public RoomRules rooms() {
        return rooms;
    }

    /** A device that just authenticated, and its token (to be sent to that device only). */
    public record Authenticated(Device device, byte[] token) {
        @Override
        public String toString() {
            return "Authenticated[" + device + "]";
        }
    }

    // ---- accounts and devices (protocol §3) ----

    /**
     * Checks everything about a registration that does not need the password hash, so the
     * costly hash is computed only for a request that can succeed. Returns the folded name.
     */
    public String checkRegistration(RegistrationMode mode, String rawUser, String invite) throws Rejected {
        if (mode == RegistrationMode.CLOSED) {
            throw new Rejected(Reason.REGISTRATION_CLOSED, "this server does not accept new accounts");
        }
        String name = Names.newUser(rawUser);
        if (mode == RegistrationMode.INVITE) {
            Invite i = invite == null || invite.isBlank() ? null : state.invite(inviteHash(invite));
            if (i == null || !i.usableAt(clock.millis())) {
                throw new Rejected(Reason.INVITE_INVALID, "this server needs a valid invite code to register");
            }
        }
        if (state.user(name) != null) {
            throw new Rejected(Reason.EXISTS, "that user name is taken");
        }
        return name;
    }

    /** Creates the account and its first device, bound to the connection's static key. */
    public Authenticated register(RegistrationMode mode, String rawUser, String invite, String passwordHash,
                                  String deviceName, byte[] publicKey) throws Rejected {
        String name = checkRegistration(mode, rawUser, invite);
        byte[] used = mode == RegistrationMode.INVITE ? inviteHash(invite) : new byte[0];
        long now = clock.millis();
        commit(new UserRegistered(name, passwordHash, now, used));
        return addDevice(state.user(name), deviceName, publicKey, now);
    }

    /**
     * After the caller verified the password: resumes the user's device bound to this static
     * key, or creates one, with a fresh token.
     */
    public Authenticated login(User user, String deviceName, byte[] publicKey) throws Rejected {
        requireNotBanned(user);
        long now = clock.millis();
        Device existing = user.deviceWithKey(publicKey);
        if (existing == null) {
            quotas.addDevice(user);
            return addDevice(user, deviceName, publicKey, now);
        }
        byte[] token = newToken();
        commit(new DeviceLoggedIn(user.name(), existing.id(), sha256(token), now));
        return new Authenticated(existing, token);
    }

    /**
     * Token login of an existing device: the static key must be the device's and the token must
     * match. Every mismatch is the same {@link Reason#BAD_CREDENTIALS}. The device keeps its token.
     */
    public Authenticated resume(String rawUser, int deviceId, byte[] token, byte[] publicKey) throws Rejected {
        return resume(rawUser, deviceId, token, publicKey, true);
    }

    /**
     * As {@link #resume(String, int, byte[], byte[])}; with {@code recordSeen} false nothing is
     * written (the last-seen time is not updated), so a device can resume and read while the
     * store refuses writes.
     */
    public Authenticated resume(String rawUser, int deviceId, byte[] token, byte[] publicKey, boolean recordSeen)
            throws Rejected {
        User user = lookupUser(rawUser);
        Device d = user == null ? null : user.device(deviceId);
        // compare both fields whether or not the device exists, so every failure takes the same path
        boolean keyOk = MessageDigest.isEqual(d == null ? new byte[32] : d.publicKey(), publicKey);
        boolean tokenOk = MessageDigest.isEqual(d == null ? new byte[32] : d.tokenHash(), sha256(token));
        if (d == null || d.revoked() || !keyOk || !tokenOk) {
            throw new Rejected(Reason.BAD_CREDENTIALS, "wrong user name, device or token");
        }
        requireNotBanned(user);
        if (recordSeen) {
            commit(new DeviceSeen(user.name(), d.id(), clock.millis()));
        }
        return new Authenticated(d, token.clone());
    }

    /** The user named by {@code rawUser}, or null if the name is invalid or unknown. */
    public User lookupUser(String rawUser) {
        try {
            return state.user(Names.userRef(rawUser));
        } catch (Rejected invalid) {
            return null;
        }
    }

    /** Replaces the password hash, e.g. with stronger parameters after a successful login. */
    public void changePassword(User user, String passwordHash) {
        commit(new PasswordChanged(user.name(), passwordHash));
    }

    /** Records that the device was active now (at a disconnect, say). No-op for revoked devices. */
    public void seen(Device d) {
        if (!d.revoked() && d.user().device(d.id()) == d) {
            commit(new DeviceSeen(d.userName(), d.id(), clock.millis()));
        }
    }

    public void revokeDevice(User user, int deviceId) throws Rejected {
        Device d = user.device(deviceId);
        if (d == null || d.revoked()) {
            throw new Rejected(Reason.NOT_FOUND, "no such device");
        }
        commit(new DeviceRevoked(user.name(), deviceId, clock.millis()));
    }

    /** Bans or unbans; returns the user. */
    public User setBanned(String rawUser, boolean banned) throws Rejected {
        User user = lookupUser(rawUser);
        if (user == null) {
            throw new Rejected(Reason.NOT_FOUND, "no such user");
        }
        if (user.banned() != banned) {
            commit(new UserBanned(user.name(), banned, clock.millis()));
        }
        return user;
    }

    /** Creates an invite code for {@code uses} registrations within {@code ttl}; returns the code. */
    public String createInvite(int uses, Duration ttl) throws Rejected {
        if (uses < 1 || uses > MAX_INVITE_USES) {
            throw new Rejected(Reason.TOO_LARGE, "an invite allows 1 to " + MAX_INVITE_USES + " uses");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new Rejected(Reason.WRONG_STATE, "an invite must expire in the future");
        }
        byte[] raw = new byte[15];
        random.nextBytes(raw);
        var code = new StringBuilder(24);
        for (int i = 0; i < raw.length; i += 5) {
            long v = 0;
            for (int j = 0; j < 5; j++) {
                v = (v << 8) | (raw[i + j] & 0xFF);
            }
            for (int shift = 35; shift >= 0; shift -= 5) {
                code.append(BASE32[(int) (v >>> shift) & 31]);
            }
        }
        Arrays.fill(raw, (byte) 0);
        long now = clock.millis();
        long expires = ttl.toMillis() > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttl.toMillis();
        commit(new InviteCreated(inviteHash(code.toString()), uses, expires, now));
        return code.toString();
    }

    // ---- messages (protocol §4) ----

    public sealed interface SendResult permits Duplicate, Stored, StoredEach {
        long seq();

        long tsMs();
    }

    /** The same user sent this message id before: nothing new was stored. */
    public record Duplicate(long seq, long tsMs) implements SendResult {}

    /** Stored now; {@code recipients} are the devices it is for, to push to once it is durable. */
    public record Stored(Message message, List<Device> recipients) implements SendResult {
        public long seq() {
            return message.seq();
        }

        public long tsMs() {
            return message.tsMs();
        }
    }

    /**
     * Stores a message from {@code from} (protocol §4 SEND), or names the earlier copy of a
     * repeated message id. The arrays are taken over, not copied (a frame's decoded fields, on
     * the hot path): the caller must not change them afterwards.
     */
    public SendResult send(Device from, Kind kind, String rawTarget, byte[] messageId, int alg, byte[] body)
            throws Rejected {
        User sender = from.user();
        int earlier = sender.sent.find(messageId);
        if (earlier >= 0) {
            return new Duplicate(sender.sent.seqAt(earlier), sender.sent.tsAt(earlier));
        }
        String target = checkTarget(sender, kind, rawTarget);
        quotas.message(sender, kind, target, (long) body.length + Message.OVERHEAD_BYTES,
                Message.held(body.length, state.recipients(kind, target, sender.name(), from.id()).size()));
        commit(new MessageStored(state.lastSeq() + 1, clock.millis(), kind, target, sender.name(), from.id(),
                messageId, alg, body));
        return new Stored(state.lastStored, state.lastRecipients);
    }

    /**
     * Takes a seq lease up to {@code upTo} and moves the last seq up to {@code skipTo}
     * ({@link Change.SeqLeased}; server.md §5). Applied now, durable later like every change.
     */
    public void leaseSeqs(long skipTo, long upTo) {
        commit(new Change.SeqLeased(skipTo, upTo));
    }

    /** Stored now for single devices (SEND_DEVICES): each part is one message for one device, in seq order. */
    public record StoredEach(long seq, long tsMs, List<Stored> parts) implements SendResult {}

    /**
     * Stores one ciphertext per recipient device (protocol §6, SEND_DEVICES). For a room the
     * sender must be a member and recipients are devices of members; for a direct message they are
     * devices of the peer or of the sender. Entries naming anything else (an unknown, revoked or
     * removed device, the sending device itself, a repeated device) are dropped, not refused:
     * they are races with membership and device changes that the sender cannot avoid.
     */
    public SendResult sendToDevices(Device from, Kind kind, String rawTarget, byte[] messageId, int alg,
                                    List<Change.DeviceEntry> entries) throws Rejected {
        User sender = from.user();
        int earlier = sender.sent.find(messageId);
        if (earlier >= 0) {
            return new Duplicate(sender.sent.seqAt(earlier), sender.sent.tsAt(earlier));
        }
        String target = checkTarget(sender, kind, rawTarget);
        var allowed = new HashSet<String>();
        if (kind == Kind.ROOM) {
            allowed.addAll(state.room(target).memberNames());
        } else {
            allowed.add(target);
            allowed.add(sender.name());
        }
        var valid = new ArrayList<Change.DeviceEntry>();
        var seen = new HashSet<Device>();
        for (Change.DeviceEntry e : entries) {
            User u = lookupUser(e.user());
            Device d = u == null || !allowed.contains(u.name()) ? null : u.device(e.deviceId());
            if (d != null && !d.revoked() && d != from && seen.add(d)) {
                valid.add(new Change.DeviceEntry(u.name(), d.id(), e.body().clone()));
            }
        }
        long now = clock.millis();
        if (valid.isEmpty()) {
            return new StoredEach(state.lastSeq(), now, List.of());
        }
        quotas.deviceMessages(sender, kind, valid);
        commit(new Change.DeviceMessagesStored(state.lastSeq() + 1, now, kind, target, sender.name(), from.id(),
                messageId.clone(), alg, valid));
        var parts = new ArrayList<Stored>(valid.size());
        for (int i = 0; i < valid.size(); i++) {
            Change.DeviceEntry e = valid.get(i);
            parts.add(new Stored(state.lastStoredBatch.get(i), List.of(state.user(e.user()).device(e.deviceId()))));
        }
        return new StoredEach(state.lastSeq(), now, parts);
    }

    /** The canonical target of a message from {@code sender}: an existing room they are a member of, or an existing user. */
    private String checkTarget(User sender, Kind kind, String rawTarget) throws Rejected {
        return switch (kind) {
            case ROOM -> {
                String name = Names.room(rawTarget);
                Room room = state.room(name);
                if (room == null) {
                    throw new Rejected(Reason.NOT_FOUND, "no room #" + name);
                }
                if (!room.isMember(sender.name())) {
                    throw new Rejected(Reason.NOT_MEMBER, "you are not a member of #" + name);
                }
                yield name;
            }
            case DIRECT -> {
                User peer = lookupUser(rawTarget);
                if (peer == null) {
                    throw new Rejected(Reason.NOT_FOUND, "no such user");
                }
                yield peer.name();
            }
        };
    }

    /**
     * Moves the device's cursor to {@code min(seq, limit)} (never backwards); {@code limit} is
     * the highest durable seq. Returns whether the cursor moved.
     */
    public boolean acknowledge(Device d, long seq, long limit) {
        long to = Math.min(seq, limit);
        if (d.revoked() || to <= d.cursor()) {
            return false;
        }
        commit(new CursorMoved(d.userName(), d.id(), to));
        return true;
    }

    /**
     * Drops what the server still holds of {@code from}'s user's message {@code messageId}
     * (RETRACT): only that user's own message, never another sender's with the same id.
     *
     * @throws Rejected not_found if none of it is held (all delivered, expired, or not theirs)
     */
    public void retract(Device from, byte[] messageId) throws Rejected {
        if (state.keptFrom(from.userName(), messageId).isEmpty()) {
            throw new Rejected(Reason.NOT_FOUND, "no message of yours with that id is held");
        }
        commit(new Change.MessageRetracted(from.userName(), messageId.clone()));
    }

    /** Drops messages stored before {@code cutoffMs}; returns how many were dropped. */
    public int expireBefore(long cutoffMs) {
        long through = -1;
        int n = 0;
        for (Message m : state.messages()) {
            if (m.tsMs() >= cutoffMs) {
                break;
            }
            through = m.seq();
            n++;
        }
        if (through >= 0) {
            commit(new MessagesExpired(through));
        }
        return n;
    }

    // ---- helpers ----

    private Authenticated addDevice(User user, String deviceName, byte[] publicKey, long now) {
        byte[] token = newToken();
        int id = user.nextDeviceId;
        commit(new DeviceAdded(user.name(), id, deviceName, publicKey.clone(), sha256(token), now));
        return new Authenticated(user.device(id), token);
    }




    private static void requireNotBanned(User user) throws Rejected {
        if (user.banned()) {
            throw new Rejected(Reason.FORBIDDEN, "this account is banned");
        }
    }

    private byte[] newToken() {
        byte[] t = new byte[TOKEN_BYTES];
        random.nextBytes(t);
        return t;
    }

    private void commit(Change c) {
        state.apply(c);
        journal.accept(c);
    }

    /** SHA-256 of an invite code after removing spaces and dashes and folding case. */
    public static byte[] inviteHash(String code) {
        var norm = new StringBuilder();
        for (char ch : code.toCharArray()) {
            if (ch != ' ' && ch != '-') {
                norm.append(Character.toLowerCase(ch));
            }
        }
        return sha256(norm.toString().getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance(Algorithms.SHA256).digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + Algorithms.SHA256, e);
        }
    }
}
