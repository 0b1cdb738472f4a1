package crumbhub.server.domain;

import crumbhub.server.domain.Change.CursorMoved;
import crumbhub.server.domain.Change.DeviceAdded;
import crumbhub.server.domain.Change.DeviceLoggedIn;
import crumbhub.server.domain.Change.DeviceRevoked;
import crumbhub.server.domain.Change.DeviceSeen;
import crumbhub.server.domain.Change.InviteCreated;
import crumbhub.server.domain.Change.MessageStored;
import crumbhub.server.domain.Change.MessagesExpired;
import crumbhub.server.domain.Change.PasswordChanged;
import crumbhub.server.domain.Change.RoomCreated;
import crumbhub.server.domain.Change.RoomInvited;
import crumbhub.server.domain.Change.RoomJoined;
import crumbhub.server.domain.Change.RoomKicked;
import crumbhub.server.domain.Change.RoomLeft;
import crumbhub.server.domain.Change.UserBanned;
import crumbhub.server.domain.Change.UserRegistered;
import crumbhub.server.domain.Change.DeviceEntry;
import crumbhub.server.domain.Change.DeviceMessagesStored;
import crumbhub.server.domain.Change.KeysPublished;
import crumbhub.server.domain.Change.OneTimePreKeyTaken;
import crumbhub.server.domain.Change.SeqLeased;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.TreeMap;

/**
 * The server's whole durable state: users and devices, invites, rooms, stored messages and
 * each device's mailbox. {@link #apply(Change)} is its only mutator, used live and in recovery,
 * so a replayed log reproduces the state exactly. {@code apply} trusts that the change was
 * validated by {@link Domain}; a change that does not fit the state is a
 * {@link CorruptStateException}.
 *
 * <p>Not thread-safe: owned by the core thread.
 */
public final class State {
    /** Revoked devices kept per user (for listings); older ones are forgotten. */
    static final int REVOKED_DEVICES_KEPT = 16;
    /** Message ids remembered per user for de-duplication: enough for any realistic retry window. */
    static final int DEDUP_WINDOW = 4096;

    final TreeMap<String, User> users = new TreeMap<>();
    final TreeMap<String, Room> rooms = new TreeMap<>();
    /** Hex of the code's SHA-256 to the invite, in creation order. */
    final LinkedHashMap<String, Invite> invites = new LinkedHashMap<>();
    /** Messages some device has yet to acknowledge, in seq order. */
    final LinkedHashMap<Long, Message> messages = new LinkedHashMap<>();
    long lastSeq;
    /** {@link Message#charge()} of every message in {@link #messages}: the server quota. Derived, not stored. */
    long waitingBytes;
    /**
     * The highest seq a {@link SeqLeased} covers: seqs up to it may have been pushed before they
     * were durable, so a state rebuilt from the log hands out only seqs above it. At least
     * {@link #lastSeq} once {@link SeqLeased#skipTo()} was applied after a recovery.
     */
    long seqLease;
    /** The message the last {@link MessageStored} created, even if no device needed it. Not persisted. */
    Message lastStored;
    /** The devices {@link #lastStored} is for. Not persisted. */
    List<Device> lastRecipients = List.of();
    /**
     * Every active device of every member, per room, in recipient order: computed on a room's first
     * message and reused for the next ones (a room message would otherwise look up every member).
     * Cleared by any change other than the frequent ones that cannot alter membership or devices
     * (messages, cursor moves, a device seen, a one-time prekey taken). Not persisted.
     */
    private final HashMap<String, Device[]> roomDevices = new HashMap<>();
    /** The messages the last {@link DeviceMessagesStored} created, in entry order. Not persisted. */
    List<Message> lastStoredBatch = List.of();

    /** The highest seq ever assigned (0 before the first message). */
    public long lastSeq() {
        return lastSeq;
    }

    /** The highest seq covered by a seq lease (0 if none was ever taken). */
    public long seqLease() {
        return seqLease;
    }

    public User user(String name) {
        return users.get(name);
    }

    public Room room(String name) {
        return rooms.get(name);
    }

    public Invite invite(byte[] codeHash) {
        return invites.get(HexFormat.of().formatHex(codeHash));
    }

    public Message message(long seq) {
        return messages.get(seq);
    }

    public int userCount() {
        return users.size();
    }

    public int messageCount() {
        return messages.size();
    }

    /** Bytes every waiting message counts against quotas ({@link Message#charge()}), whoever sent it. */
    public long waitingBytes() {
        return waitingBytes;
    }

    /** Users in name order. */
    public List<User> users() {
        return List.copyOf(users.values());
    }

    /** The stored messages, oldest first. */
    public Iterable<Message> messages() {
        return messages.values();
    }

    /** Names of rooms where the user is a member or invited, sorted. */
    public List<String> roomsOf(User user) {
        return List.copyOf(user.rooms);
    }

    /**
     * The devices a message with these fields is for, in a fixed order: for a room, every
     * active device of every member; for a direct message, every active device of the peer and
     * of the sender. Never the sending device itself.
     */
    public List<Device> recipients(Kind kind, String target, String sender, int senderDevice) {
        return switch (kind) {
            case ROOM -> {
                Device[] all = activeDevices(target);
                int skip = -1;
                for (int i = 0; i < all.length; i++) {
                    if (all[i].id() == senderDevice && all[i].userName().equals(sender)) {
                        skip = i;
                        break;
                    }
                }
                yield new Except(all, skip);
            }
            case DIRECT -> {
                var out = new ArrayList<Device>();
                addActive(out, users.get(target), sender, senderDevice);
                if (!target.equals(sender)) {
                    addActive(out, users.get(sender), sender, senderDevice);
                }
                yield out;
            }
        };
    }

    /**
     * A room's cached device array but one (the sending device), as an unmodifiable list: made
     * without copying for every room message. The array is never changed once cached.
     */
    private static final class Except extends AbstractList<Device> implements RandomAccess {
        private final Device[] all;
        private final int skip;

        Except(Device[] all, int skip) {
            this.all = all;
            this.skip = skip;
        }

        @Override
        public Device get(int index) {
            Objects.checkIndex(index, size());
            return all[skip >= 0 && index >= skip ? index + 1 : index];
        }

        @Override
        public int size() {
            return skip >= 0 ? all.length - 1 : all.length;
        }
    }

    /** Every active device of the room's members, in member order; empty for an unknown room. */
    private Device[] activeDevices(String roomName) {
        Device[] cached = roomDevices.get(roomName);
        if (cached != null) {
            return cached;
        }
        var all = new ArrayList<Device>();
        Room room = rooms.get(roomName);
        if (room != null) {
            for (String member : room.members.keySet()) {
                addActive(all, users.get(member), null, -1);
            }
        }
        Device[] devices = all.toArray(new Device[0]);
        roomDevices.put(roomName, devices);
        return devices;
    }

    private static void addActive(List<Device> out, User user, String sender, int senderDevice) {
        if (user == null) {
            return;
        }
        for (Device d : user.devices.values()) {
            if (!d.revoked && !(d.id() == senderDevice && user.name().equals(sender))) {
                out.add(d);
            }
        }
    }

    /** Applies one change. The single state transition, shared by live operation and recovery. */
    public void apply(Change change) {
        if (!(change instanceof MessageStored || change instanceof DeviceMessagesStored
                || change instanceof CursorMoved || change instanceof DeviceSeen || change instanceof OneTimePreKeyTaken
                || change instanceof Change.OneTimeKemPreKeyTaken || change instanceof Change.KemPreKeysPublished
                || change instanceof SeqLeased)) {
            roomDevices.clear();
        }
        switch (change) {
            case UserRegistered c -> {
                if (users.containsKey(c.user())) {
                    throw new CorruptStateException("user registered twice: " + c.user());
                }
                users.put(c.user(), new User(c.user(), c.passwordHash(), c.atMs()));
                if (c.inviteHash().length > 0) {
                    String key = HexFormat.of().formatHex(c.inviteHash());
                    Invite invite = invites.get(key);
                    if (invite != null) {
                        invite.uses++;
                        if (invite.uses >= invite.maxUses()) {
                            invites.remove(key);
                        }
                    }
                }
            }
            case PasswordChanged c -> requireUser(c.user()).passwordHash = c.passwordHash();
            case UserBanned c -> requireUser(c.user()).banned = c.banned();
            case DeviceAdded c -> {
                User u = requireUser(c.user());
                if (u.devices.containsKey(c.deviceId())) {
                    throw new CorruptStateException("device added twice: " + c.user() + "/" + c.deviceId());
                }
                u.devices.put(c.deviceId(), new Device(u, c.deviceId(), c.name(), c.publicKey(), c.tokenHash(),
                        c.atMs(), lastSeq));
                u.nextDeviceId = Math.max(u.nextDeviceId, c.deviceId() + 1);
            }
            case DeviceLoggedIn c -> {
                Device d = requireDevice(c.user(), c.deviceId());
                d.tokenHash = c.tokenHash();
                d.lastSeenMs = Math.max(d.lastSeenMs, c.atMs());
            }
            case DeviceSeen c -> {
                Device d = requireDevice(c.user(), c.deviceId());
                d.lastSeenMs = Math.max(d.lastSeenMs, c.atMs());
            }
            case DeviceRevoked c -> revoke(requireDevice(c.user(), c.deviceId()), c.atMs());
            case InviteCreated c -> {
                invites.values().removeIf(i -> i.expiresMs() <= c.atMs());
                invites.put(HexFormat.of().formatHex(c.codeHash()),
                        new Invite(c.codeHash(), c.maxUses(), c.expiresMs(), c.atMs()));
            }
            case RoomCreated c -> createRoom(c.room(), c.owner(), c.atMs());
            case RoomInvited c -> inviteToRoom(requireRoom(c.room()), requireUser(c.user()));
            case RoomJoined c -> joinRoom(requireRoom(c.room()), requireUser(c.user()));
            case RoomLeft c -> removeFromRoom(requireRoom(c.room()), requireUser(c.user()));
            case RoomKicked c -> removeFromRoom(requireRoom(c.room()), requireUser(c.user()));
            case Change.RoomSigned c -> applySigned(c);
            case MessageStored c -> storeMessage(c);
            case CursorMoved c -> acknowledge(requireDevice(c.user(), c.deviceId()), c.seq());
            case MessagesExpired c -> expire(c.throughSeq());
            case Change.MessageRetracted c -> retract(c.sender(), c.messageId());
            case KeysPublished c -> {
                Device d = requireDevice(c.user(), c.deviceId());
                d.identity = c.identity();
                d.signedPreKey = c.signedPreKey();
                d.kemPreKey = c.kemPreKey();
                for (OneTimeKey k : c.oneTimePreKeys()) {
                    d.oneTimePreKeys.putIfAbsent(k.id(), k);
                }
            }
            case OneTimePreKeyTaken c -> requireDevice(c.user(), c.deviceId()).oneTimePreKeys.remove(c.keyId());
            case Change.KemPreKeysPublished c -> {
                Device d = requireDevice(c.user(), c.deviceId());
                for (OneTimeKey k : c.oneTimeKemPreKeys()) {
                    d.oneTimeKemPreKeys.putIfAbsent(k.id(), k);
                }
            }
            case Change.OneTimeKemPreKeyTaken c -> requireDevice(c.user(), c.deviceId()).oneTimeKemPreKeys.remove(c.keyId());
            case Change.AccountPublished c -> AccountRules.apply(requireUser(c.user()), c);
            case DeviceMessagesStored c -> storeDeviceMessages(c);
            case SeqLeased c -> {
                seqLease = Math.max(seqLease, c.upTo());
                lastSeq = Math.max(lastSeq, c.skipTo());
            }
        }
    }

    private void storeMessage(MessageStored c) {
        if (c.seq() <= lastSeq) {
            throw new CorruptStateException("message seq " + c.seq() + " not above " + lastSeq);
        }
        User sender = requireUser(c.sender());
        List<Device> to = recipients(c.kind(), c.target(), c.sender(), c.senderDevice());
        lastSeq = c.seq();
        var m = new Message(c.seq(), c.tsMs(), c.kind(), c.target(), c.sender(), c.senderDevice(),
                c.messageId(), c.alg(), c.body());
        for (int i = 0, n = to.size(); i < n; i++) {
            to.get(i).mailbox.addLast(m);
        }
        m.pending = to.size();
        lastStored = m;
        lastRecipients = to;
        if (m.pending > 0) {
            keep(m, sender);
        }
        remember(sender, c.messageId(), c.seq(), c.tsMs());
    }

    private void storeDeviceMessages(DeviceMessagesStored c) {
        if (c.firstSeq() <= lastSeq || c.entries().isEmpty()) {
            throw new CorruptStateException("device messages at seq " + c.firstSeq() + " not above " + lastSeq);
        }
        User sender = requireUser(c.sender());
        var batch = new ArrayList<Message>(c.entries().size());
        long seq = c.firstSeq();
        for (DeviceEntry e : c.entries()) {
            Device d = requireDevice(e.user(), e.deviceId());
            var m = new Message(seq++, c.tsMs(), c.kind(), c.target(), c.sender(), c.senderDevice(), c.messageId(),
                    c.alg(), e.body());
            if (!d.revoked) {
                d.mailbox.addLast(m);
                m.pending = 1;
                keep(m, sender);
            }
            batch.add(m);
        }
        lastSeq = seq - 1;
        lastStoredBatch = batch;
        remember(sender, c.messageId(), lastSeq, c.tsMs());
    }

    /** Remembers a message id the sender used, forgetting its oldest beyond {@link #DEDUP_WINDOW}. */
    private static void remember(User sender, byte[] messageId, long seq, long tsMs) {
        sender.sent.add(MessageId.high(messageId), MessageId.low(messageId), seq, tsMs);
    }

    private void acknowledge(Device d, long seq) {
        if (seq <= d.cursor) {
            return;
        }
        d.cursor = seq;
        while (!d.mailbox.isEmpty() && d.mailbox.peekFirst().seq() <= seq) {
            release(d.mailbox.pollFirst());
        }
    }

    private void revoke(Device d, long atMs) {
        d.revoked = true;
        d.lastSeenMs = Math.max(d.lastSeenMs, atMs);
        d.oneTimeKemPreKeys.clear();
        while (!d.mailbox.isEmpty()) {
            release(d.mailbox.pollFirst());
        }
        User u = d.user();
        long revokedCount = u.devices.values().stream().filter(Device::revoked).count();
        var it = u.devices.values().iterator();
        while (revokedCount > REVOKED_DEVICES_KEPT && it.hasNext()) {
            if (it.next().revoked) {
                it.remove();
                revokedCount--;
            }
        }
    }

    /** A device no longer waits for {@code m} (acknowledged, expired for it, revoked): its slot is given back. */
    private void release(Message m) {
        if (m.pending <= 0) {
            return;
        }
        User sender = users.get(m.sender());
        sender.waitingBytes -= Message.SLOT_BYTES;
        waitingBytes -= Message.SLOT_BYTES;
        if (--m.pending == 0 && messages.remove(m.seq()) != null) {
            uncount(m);
        }
    }

    /** Keeps a message some device has yet to acknowledge, counting it against its sender's quota. */
    private void keep(Message m, User sender) {
        messages.put(m.seq(), m);
        count(m, sender);
    }

    private void count(Message m, User sender) {
        sender.waitingBytes += m.heldCharge();
        waitingBytes += m.heldCharge();
    }

    private void uncount(Message m) {
        users.get(m.sender()).waitingBytes -= m.heldCharge();
        waitingBytes -= m.heldCharge();
    }

    /**
     * Derives the quota counts from the messages kept: after a snapshot is decoded or the state
     * copied, which fill {@link #messages} directly. Mailbox counts keep themselves ({@link MessageQueue}).
     */
    void recount() {
        waitingBytes = 0;
        for (User u : users.values()) {
            u.waitingBytes = 0;
        }
        for (Message m : messages.values()) {
            User sender = users.get(m.sender());
            if (sender == null) {
                throw new CorruptStateException("message " + m.seq() + " from unknown user " + m.sender());
            }
            count(m, sender);
        }
    }

    /** The kept messages of {@code sender} with id {@code messageId}, oldest first. */
    public List<Message> keptFrom(String sender, byte[] messageId) {
        var out = new ArrayList<Message>();
        for (Message m : messages.values()) {
            if (m.sender().equals(sender) && java.util.Arrays.equals(m.messageIdBytes(), messageId)) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Drops every kept copy of {@code sender}'s message {@code messageId} from the mailboxes that
     * hold it, giving back each slot, so it leaves {@link #messages} and the quotas. Rare (an
     * end-to-end delete), so it looks through every device's mailbox.
     */
    private void retract(String sender, byte[] messageId) {
        for (Message m : keptFrom(sender, messageId)) {
            for (User u : users.values()) {
                for (Device d : u.devices.values()) {
                    if (d.mailbox.remove(m)) {
                        release(m);
                    }
                }
            }
            if (messages.remove(m.seq()) != null) {
                uncount(m);
            }
        }
    }

    private void expire(long throughSeq) {
        var it = messages.values().iterator();
        while (it.hasNext()) {
            Message m = it.next();
            if (m.seq() <= throughSeq) {
                it.remove();
                uncount(m);
            }
        }
        for (User u : users.values()) {
            for (Device d : u.devices.values()) {
                while (!d.mailbox.isEmpty() && d.mailbox.peekFirst().seq() <= throughSeq) {
                    d.mailbox.pollFirst();
                }
            }
        }
    }

    private void createRoom(String name, String owner, long atMs) {
        if (rooms.containsKey(name)) {
            throw new CorruptStateException("room created twice: " + name);
        }
        User user = requireUser(owner);
        Room room = new Room(name, owner, atMs);
        room.members.put(owner, lastSeq);
        rooms.put(name, room);
        user.rooms.add(name);
    }

    private void inviteToRoom(Room room, User user) {
        room.invited.add(user.name());
        user.rooms.add(room.name());
    }

    private void joinRoom(Room room, User user) {
        room.invited.remove(user.name());
        room.members.putIfAbsent(user.name(), lastSeq);
        user.rooms.add(room.name());
    }

    /** A signed statement's effect (the same as the unsigned change of its action), then the log entry. */
    private void applySigned(Change.RoomSigned c) {
        var action = crumbhub.crypto.account.RoomStatement.Action.ofCode(c.action());
        if (action == null) {
            throw new CorruptStateException("unknown room statement action " + c.action());
        }
        switch (action) {
            case CREATE -> {
                if (!rooms.containsKey(c.room())) {
                    createRoom(c.room(), c.actor(), c.atMs());
                }
            }
            case INVITE -> inviteToRoom(requireRoom(c.room()), requireUser(c.subject()));
            case JOIN -> joinRoom(requireRoom(c.room()), requireUser(c.actor()));
            case LEAVE -> removeFromRoom(requireRoom(c.room()), requireUser(c.actor()));
            case KICK -> removeFromRoom(requireRoom(c.room()), requireUser(c.subject()));
        }
        Room room = rooms.get(c.room());
        if (room != null) {
            room.log.add(c.statement());
        }
    }

    private void removeFromRoom(Room room, User user) {
        room.invited.remove(user.name());
        room.members.remove(user.name());
        user.rooms.remove(room.name());
        if (room.members.isEmpty()) {
            for (String invitee : room.invited) {
                users.get(invitee).rooms.remove(room.name());
            }
            rooms.remove(room.name());
        } else if (room.owner.equals(user.name())) {
            room.owner = room.members.keySet().iterator().next();
        }
    }

    private User requireUser(String name) {
        User u = users.get(name);
        if (u == null) {
            throw new CorruptStateException("no such user: " + name);
        }
        return u;
    }

    private Device requireDevice(String user, int id) {
        Device d = requireUser(user).devices.get(id);
        if (d == null) {
            throw new CorruptStateException("no such device: " + user + "/" + id);
        }
        return d;
    }

    private Room requireRoom(String name) {
        Room r = rooms.get(name);
        if (r == null) {
            throw new CorruptStateException("no such room: " + name);
        }
        return r;
    }

    Map<String, Invite> invitesByHash() {
        return invites;
    }

    /**
     * An independent deep copy, equal to this state in every encoded byte. Only immutable data
     * (keys, hashes, message ids and bodies) is shared. The server keeps a copy that follows the
     * durable log, so it can undo changes whose records failed to become durable.
     */
    public State copy() {
        var c = new State();
        c.lastSeq = lastSeq;
        c.seqLease = seqLease;
        for (Map.Entry<String, Invite> e : invites.entrySet()) {
            Invite i = e.getValue();
            var copy = new Invite(i.codeHash(), i.maxUses(), i.expiresMs(), i.createdMs());
            copy.uses = i.uses;
            c.invites.put(e.getKey(), copy);
        }
        for (Message m : messages.values()) {
            var copy = new Message(m.seq(), m.tsMs(), m.kind(), m.target(), m.sender(), m.senderDevice(),
                    m.messageIdBytes(), m.alg(), m.body());
            copy.pending = m.pending;
            c.messages.put(copy.seq(), copy);
        }
        for (User u : users.values()) {
            var user = new User(u.name(), u.passwordHash, u.createdMs());
            user.banned = u.banned;
            user.nextDeviceId = u.nextDeviceId;
            user.rooms.addAll(u.rooms);
            user.sent.copyFrom(u.sent);
            user.accountIdentity = u.accountIdentity;
            user.escrow = u.escrow;
            for (Device d : u.devices.values()) {
                var device = new Device(user, d.id(), d.name(), d.publicKey(), d.tokenHash, d.createdMs(), d.cursor);
                device.lastSeenMs = d.lastSeenMs;
                device.revoked = d.revoked;
                device.identity = d.identity;
                device.signedPreKey = d.signedPreKey;
                device.kemPreKey = d.kemPreKey;
                device.oneTimePreKeys.putAll(d.oneTimePreKeys);
                device.oneTimeKemPreKeys.putAll(d.oneTimeKemPreKeys);
                device.certificate = d.certificate;
                for (int i = 0; i < d.mailbox.size(); i++) {
                    Message m = c.messages.get(d.mailbox.get(i).seq());
                    if (m == null) {
                        throw new CorruptStateException("mailbox of " + d + " names unknown seq " + d.mailbox.get(i).seq());
                    }
                    device.mailbox.addLast(m);
                }
                user.devices.put(device.id(), device);
            }
            c.users.put(user.name(), user);
        }
        for (Room r : rooms.values()) {
            var room = new Room(r.name(), r.owner, r.createdMs());
            room.members.putAll(r.members);
            room.invited.addAll(r.invited);
            room.log.addAll(r.log);
            c.rooms.put(room.name(), room);
        }
        c.lastStored = lastStored == null ? null : c.messages.get(lastStored.seq());
        c.recount();
        return c;
    }

    /**
     * Makes this state equal to {@code other}, taking over its users, devices, rooms and
     * messages (so {@code other} must not be used afterwards). Objects of this state that callers
     * still hold (devices, users) are no longer part of it; look them up again by name and id.
     */
    public void replaceWith(State other) {
        users.clear();
        users.putAll(other.users);
        rooms.clear();
        rooms.putAll(other.rooms);
        invites.clear();
        invites.putAll(other.invites);
        messages.clear();
        messages.putAll(other.messages);
        lastSeq = other.lastSeq;
        seqLease = other.seqLease;
        waitingBytes = other.waitingBytes;
        lastStored = other.lastStored;
        lastStoredBatch = other.lastStoredBatch;
    }
}
