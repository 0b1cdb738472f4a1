package crumbhub.client.cli;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.AccountFrame;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.BackupFrame;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceBody;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.DeviceKey;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyBundle;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.PqKeyBundle;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomLogFrame;
import crumbhub.wire.RoomInfo;
import crumbhub.wire.RoomStatus;
import crumbhub.wire.TargetKind;
import crumbhub.wire.UserDeviceKeys;
import crumbhub.wire.loop.EventLoopGroup;
import crumbhub.wire.net.Connection;
import crumbhub.wire.net.ConnectionHandler;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.NoiseServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-memory server speaking protocol v1 over real Noise connections (crumbhub.wire), for
 * client tests that need faults the real server does not make on demand: a connection dropped
 * after a message was stored but before SEND_OK. One loop thread; state guarded by {@code this}.
 */
final class FakeServer implements AutoCloseable {
    private record Device(int id, String user, byte[] key, DeviceToken token, String name) {}

    private record Stored(long seq, long tsMs, TargetKind kind, String target, String from, int fromDevice,
                          MessageId id, int alg, byte[] body, Set<Integer> recipients) {}

    /** A device's published end-to-end keys; the fake checks nothing (the real server does). */
    private static final class Keys {
        byte[] identity;
        byte[] signedPreKey;
        byte[] kemPreKey;
        final java.util.ArrayDeque<byte[]> oneTime = new java.util.ArrayDeque<>();
    }

    private static final class Room {
        String owner;
        final Set<String> members = new LinkedHashSet<>();
        final Set<String> invited = new LinkedHashSet<>();
        /** The signed membership log (protocol §8), as stored. */
        final List<byte[]> log = new ArrayList<>();

        Room(String owner) {
            this.owner = owner;
            members.add(owner);
        }
    }

    private final SecureRandom rng = new SecureRandom();
    private final EventLoopGroup group = new EventLoopGroup("fake-server", 1);
    private final X25519KeyPair key;
    private final NoiseServer server;
    private final Map<String, byte[]> passwords = new HashMap<>();
    private final Map<Integer, Device> devices = new LinkedHashMap<>();
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final List<Stored> messages = new ArrayList<>();
    private final Map<Integer, Long> cursors = new HashMap<>();
    private final Map<Integer, Keys> keys = new HashMap<>();
    private final Map<String, MessageFrame.SendOk> sent = new HashMap<>();
    private final Map<Connection, Integer> synced = new HashMap<>();
    private final Set<Connection> open = new LinkedHashSet<>();
    private int nextDevice = 1;
    private long seq;
    /** SENDs to store and then answer by dropping the connection. */
    final AtomicInteger dropAfterStoring = new AtomicInteger();
    /** While positive, an ACCOUNT_KEYS request closes the connection instead of being answered (and counts down). */
    final AtomicInteger dropOnAccountKeys = new AtomicInteger();
    final AtomicInteger sendsReceived = new AtomicInteger();
    final AtomicInteger syncs = new AtomicInteger();

    FakeServer(X25519KeyPair key) {
        this.key = key;
        try {
            server = NoiseServer.bind(new InetSocketAddress("127.0.0.1", 0), group, key, c -> new Handler(),
                    ConnectionOptions.server());
        } catch (IOException e) {
            group.close();
            throw new UncheckedIOException(e);
        }
    }

    FakeServer() {
        this(X25519KeyPair.generate(new SecureRandom()));
    }

    String address() {
        return "127.0.0.1:" + server.localAddress().getPort();
    }

    byte[] publicKey() {
        return server.publicKey();
    }

    synchronized int storedMessages() {
        return messages.size();
    }

    /**
     * The attack a server could make: from now on it hands out {@code identity} and these prekeys
     * as the keys of {@code user}'s first device. Returns that device's id.
     */
    synchronized int substituteKeys(String user, byte[] identity, byte[] signedPreKey, byte[] kemPreKey) {
        Device d = devices.values().stream().filter(x -> x.user().equals(user)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device of " + user));
        int deviceId = d.id();
        Keys k = new Keys();
        k.identity = identity;
        k.signedPreKey = signedPreKey;
        k.kemPreKey = kemPreKey;
        keys.put(deviceId, k);
        return deviceId;
    }

    /**
     * What a crash can do since pushes leave before durability (protocol §4): the last message
     * stored (every entry with its id) was pushed, lost, and stored again from its sender's retry:
     * same sender, id and bytes, new seqs, pushed again to every synced recipient. Returns the new
     * seqs.
     */
    synchronized List<Long> storeLastAgainAsARetry() {
        MessageId last = messages.getLast().id();
        var again = new ArrayList<Stored>();
        for (Stored m : messages) {
            if (m.id().equals(last)) {
                again.add(new Stored(++seq, m.tsMs(), m.kind(), m.target(), m.from(), m.fromDevice(), m.id(), m.alg(),
                        m.body(), m.recipients()));
            }
        }
        messages.addAll(again);
        for (Stored m : again) {
            synced.forEach((conn, dev) -> {
                if (m.recipients().contains(dev)) {
                    conn.send(Handler.deliver(m));
                }
            });
        }
        return again.stream().map(Stored::seq).toList();
    }

    // ---- account identities (protocol §7) and the lies a server can tell about them ----

    private final Map<String, byte[]> accountIdentities = new HashMap<>();
    private final Map<String, byte[]> escrows = new HashMap<>();
    private final Map<Integer, byte[]> certificates = new HashMap<>();
    private final Set<String> frozenAccounts = new LinkedHashSet<>();

    private Frame accountPublish(String user, int id, AccountFrame.AccountPublish p) {
        if (frozenAccounts.contains(user)) {
            return new ControlFrame.Ok(id); // the lie: says it stored, keeps serving what it had
        }
        if (p.identity().length > 0 && !Arrays.equals(p.identity(), accountIdentities.get(user))) {
            accountIdentities.put(user, p.identity());
            devices.values().stream().filter(d -> d.user().equals(user)).forEach(d -> certificates.remove(d.id()));
        }
        if (p.escrow().length > 0) {
            escrows.put(user, p.escrow());
        }
        for (AccountFrame.Certificate c : p.certificates()) {
            certificates.put(c.deviceId(), c.certificate());
        }
        return new ControlFrame.Ok(id);
    }

    private Frame accountKeys(String asking, int id, AccountFrame.AccountKeys k) {
        var certs = new ArrayList<AccountFrame.Certificate>();
        for (int deviceId : k.deviceIds()) {
            Device d = devices.get(deviceId);
            if (d != null && d.user().equals(k.user()) && certificates.containsKey(deviceId)) {
                certs.add(new AccountFrame.Certificate(deviceId, certificates.get(deviceId)));
            }
        }
        return AccountFrame.AccountKeysReply.fitting(id, k.user(), accountIdentities.getOrDefault(k.user(), new byte[0]),
                asking.equals(k.user()) ? escrows.getOrDefault(asking, new byte[0]) : new byte[0], certs);
    }

    /** The lie of a server that takes a device's side: it acknowledges {@code user}'s account publications and ignores them. */
    synchronized void freezeAccount(String user) {
        frozenAccounts.add(user);
    }

    /** The id of {@code user}'s newest device. */
    synchronized int newestDevice(String user) {
        return devices.values().stream().filter(d -> d.user().equals(user)).mapToInt(Device::id).max()
                .orElseThrow(() -> new IllegalArgumentException("no device of " + user));
    }

    /**
     * How many pairwise (alg 1) messages were stored for device {@code deviceId}: direct messages
     * and room chains. Room messages (alg 2) go to every member device and open only with a chain.
     */
    synchronized long pairwiseFor(int deviceId) {
        return messages.stream().filter(m -> m.alg() == 1 && m.recipients().contains(deviceId)).count();
    }

    /** The account identity the server holds for {@code user}, empty if none. */
    synchronized byte[] accountIdentity(String user) {
        return accountIdentities.getOrDefault(user, new byte[0]).clone();
    }

    /** The lie of a server that serves {@code identity} as {@code user}'s account identity (certificates untouched). */
    synchronized void serveAccount(String user, byte[] identity) {
        accountIdentities.put(user, identity.clone());
    }

    /** Serves {@code certificate} (null: none) as device {@code deviceId}'s certificate. */
    synchronized void serveCertificate(int deviceId, byte[] certificate) {
        if (certificate == null) {
            certificates.remove(deviceId);
        } else {
            certificates.put(deviceId, certificate.clone());
        }
    }

    /** The end-to-end identity device {@code deviceId} published. */
    synchronized byte[] identityOf(int deviceId) {
        return keys.get(deviceId).identity.clone();
    }

    /**
     * The replay attack (issue 13, attack 4): the last message stored for a device of
     * {@code user} is stored again under a new seq and a new random wire message id, same sender
     * and body, and pushed to that device if it is synced. Returns the new seq.
     */
    synchronized long replayLastDeliveryTo(String user) {
        Stored m = messages.reversed().stream()
                .filter(x -> x.recipients().stream().anyMatch(d -> devices.containsKey(d) && devices.get(d).user().equals(user)))
                .findFirst().orElseThrow(() -> new IllegalStateException("nothing was delivered to " + user));
        var again = new Stored(++seq, m.tsMs(), m.kind(), m.target(), m.from(), m.fromDevice(), MessageId.random(rng),
                m.alg(), m.body(), m.recipients());
        messages.add(again);
        synced.forEach((conn, dev) -> {
            if (again.recipients().contains(dev)) {
                conn.send(Handler.deliver(again));
            }
        });
        return again.seq();
    }

    /** A server that lies about time (issue 13, attack 10): every stored message now carries {@code tsMs}. */
    synchronized void forgeTimestamps(long tsMs) {
        messages.replaceAll(m -> new Stored(m.seq(), tsMs, m.kind(), m.target(), m.from(), m.fromDevice(), m.id(), m.alg(),
                m.body(), m.recipients()));
    }

    /** The body lengths of the stored messages to {@code target} with encryption {@code alg}, oldest first: what the server learns of sizes. */
    synchronized List<Integer> bodyLengths(String target, int alg) {
        return messages.stream().filter(m -> m.target().equals(target) && m.alg() == alg).map(m -> m.body().length).toList();
    }

    /** Room SENDs to refuse (ERROR storage) without storing them, while SEND_DEVICES go through (issue 13, attack 5). */
    final AtomicInteger refuseRoomSends = new AtomicInteger();

    /** The refusal for {@code s} while {@link #refuseRoomSends} asks for one, else null. */
    private Frame refusedRoomSend(MessageFrame.Send s) {
        if (s.kind() == TargetKind.ROOM && refuseRoomSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return ControlFrame.Error.of(s.requestId(), ErrorCode.STORAGE, "the store refuses writes");
        }
        return null;
    }

    /**
     * A server helping a removed member: a copy of the last room message stored goes to every
     * device of {@code user} as well, pushed if synced.
     */
    synchronized void copyLastRoomMessageTo(String user) {
        Stored m = messages.reversed().stream().filter(x -> x.kind() == TargetKind.ROOM && x.alg() == 2).findFirst()
                .orElseThrow(() -> new IllegalStateException("no room message"));
        var to = new LinkedHashSet<Integer>();
        devices.values().stream().filter(d -> d.user().equals(user)).forEach(d -> to.add(d.id()));
        var copy = new Stored(++seq, m.tsMs(), m.kind(), m.target(), m.from(), m.fromDevice(), m.id(), m.alg(), m.body(), to);
        messages.add(copy);
        synced.forEach((conn, dev) -> {
            if (to.contains(dev)) {
                conn.send(Handler.deliver(copy));
            }
        });
    }

    // ---- one-time ML-KEM prekeys (docs/protocol.md §6) and the lies about them ----

    /** What a lying server does with the one-time ML-KEM prekeys it hands out. */
    enum KemLie {
        /** Hands each out once, as the real server does. */
        NONE,
        /** Flips a bit of each one's signature: a key the device never signed. */
        FORGE,
        /** Serves the device's last-resort ML-KEM prekey as its one-time one. */
        LAST_RESORT,
        /** Hands the oldest out again and again, never removing it. */
        REPEAT
    }

    private final Map<Integer, java.util.ArrayDeque<byte[]>> kemPools = new HashMap<>();
    private KemLie kemLie = KemLie.NONE;

    synchronized void lieAboutKemPreKeys(KemLie lie) {
        kemLie = lie;
    }

    /** How many one-time ML-KEM prekeys the server holds for device {@code deviceId}. */
    synchronized int kemPoolSize(int deviceId) {
        var pool = kemPools.get(deviceId);
        return pool == null ? 0 : pool.size();
    }

    /**
     * Empties device {@code deviceId}'s pool, as initiators draining it would, and tells the device's
     * synced connections that it runs low (KEM_PREKEYS_STATUS push), as the real server does.
     */
    synchronized void drainKemPool(int deviceId) {
        kemPools.getOrDefault(deviceId, new java.util.ArrayDeque<>()).clear();
        synced.forEach((conn, dev) -> {
            if (dev == deviceId) {
                conn.send(new KemKeyFrame.KemPreKeysStatus(0, 0));
            }
        });
    }

    private Frame kemPublish(int deviceId, int id, KemKeyFrame.KemPreKeysPublish k) {
        Keys mine = keys.get(deviceId);
        if (mine == null || !Arrays.equals(mine.identity, k.identity())) {
            return ControlFrame.Error.of(id, ErrorCode.FORBIDDEN, "not this device's identity");
        }
        var pool = kemPools.computeIfAbsent(deviceId, x -> new java.util.ArrayDeque<>());
        pool.addAll(k.oneTimeKemPreKeys());
        return new KemKeyFrame.KemPreKeysStatus(id, pool.size());
    }

    private Frame pqBundles(int id, KemKeyFrame.KeyBundlesPq b) {
        var list = new ArrayList<PqKeyBundle>();
        for (int deviceId : b.deviceIds()) {
            Device d = devices.get(deviceId);
            Keys k = keys.get(deviceId);
            if (d != null && k != null && d.user().equals(b.user())) {
                byte[] one = k.oneTime.isEmpty() ? new byte[0] : k.oneTime.poll();
                var pool = kemPools.getOrDefault(deviceId, new java.util.ArrayDeque<>());
                byte[] kem = pool.isEmpty() ? new byte[0] : switch (kemLie) {
                    case NONE -> pool.poll();
                    case REPEAT -> pool.peek();
                    case LAST_RESORT -> k.kemPreKey;
                    case FORGE -> {
                        byte[] forged = pool.poll().clone();
                        forged[forged.length - 1] ^= 1;
                        yield forged;
                    }
                };
                list.add(new PqKeyBundle(new KeyBundle(deviceId, k.identity, k.signedPreKey, k.kemPreKey, one), kem));
            }
        }
        return KemKeyFrame.KeyBundlesPqReply.fitting(id, b.user(), list);
    }

    /** Drops every open connection, as a restarting server or a broken network would. */
    synchronized void dropAll() {
        List.copyOf(open).forEach(Connection::close);
    }

    // ---- history backup (docs/protocol.md §9): the honest part, then the lies ----

    private record BackupStream(int deviceId, long stream) {}

    private final Map<String, Map<BackupStream, List<byte[]>>> backups = new HashMap<>();

    private boolean backupsUnsupported;

    /** Answers every history backup request as a server from before history backups would. */
    synchronized void withoutBackups() {
        backupsUnsupported = true;
    }

    private Frame backup(String user, int deviceId, int id, BackupFrame frame) {
        if (backupsUnsupported) {
            return ControlFrame.Error.of(id, ErrorCode.UNSUPPORTED, "frame type " + frame.typeName() + " is not supported");
        }
        var streams = backups.computeIfAbsent(user, u -> new LinkedHashMap<>());
        return switch (frame) {
            case BackupFrame.BackupAppend a -> {
                var blobs = streams.computeIfAbsent(new BackupStream(deviceId, a.stream()), k -> new ArrayList<>());
                if (a.index() != blobs.size()) {
                    yield ControlFrame.Error.of(id, ErrorCode.WRONG_STATE, "next is " + blobs.size());
                }
                blobs.add(a.blob().clone());
                yield new ControlFrame.Ok(id);
            }
            case BackupFrame.BackupList l -> new BackupFrame.BackupListReply(id, 0, 1L << 30, streams.entrySet().stream()
                    .map(e -> new BackupFrame.Stream(e.getKey().deviceId(), e.getKey().stream(), e.getValue().size(), 0))
                    .toList(), false);
            case BackupFrame.BackupFetch f -> {
                var blobs = streams.get(new BackupStream(f.deviceId(), f.stream()));
                if (blobs == null || f.from() >= blobs.size()) {
                    yield ControlFrame.Error.of(id, ErrorCode.NOT_FOUND, "no such batch");
                }
                yield BackupFrame.BackupBatches.fitting(id, f.deviceId(), f.stream(), f.from(), blobs.subList((int) f.from(),
                        blobs.size()).stream().map(BackupFrame.Blob::new).toList(), false);
            }
            case BackupFrame.BackupDelete d -> {
                streams.clear();
                yield new ControlFrame.Ok(id);
            }
            case BackupFrame.BackupListReply r -> ControlFrame.Error.of(id, ErrorCode.UNSUPPORTED, "not a request");
            case BackupFrame.BackupBatches r -> ControlFrame.Error.of(id, ErrorCode.UNSUPPORTED, "not a request");
        };
    }

    private List<byte[]> onlyStream(String user) {
        var streams = backups.get(user);
        if (streams == null || streams.size() != 1) {
            throw new IllegalStateException(user + " has no single backup stream");
        }
        return streams.values().iterator().next();
    }

    /** Batches {@code user}'s backup stream holds. */
    synchronized int backupBatches(String user) {
        return onlyStream(user).size();
    }

    /** The lie of a server that reorders a backup: batches {@code i} and {@code j} of {@code user}'s stream trade places. */
    synchronized void swapBackupBatches(String user, int i, int j) {
        java.util.Collections.swap(onlyStream(user), i, j);
    }

    /** The replay: batch {@code from} of {@code user}'s stream is served again in place of batch {@code to}. */
    synchronized void replayBackupBatch(String user, int from, int to) {
        var blobs = onlyStream(user);
        blobs.set(to, blobs.get(from));
    }

    /** The splice: {@code from}'s backup streams are listed and served as streams of {@code to}'s account too. */
    synchronized void spliceBackup(String from, String to) {
        backups.computeIfAbsent(to, u -> new LinkedHashMap<>()).putAll(backups.get(from));
    }

    /** The drop: the last {@code n} batches of {@code user}'s stream are forgotten. */
    synchronized void dropBackupTail(String user, int n) {
        var blobs = onlyStream(user);
        blobs.subList(blobs.size() - n, blobs.size()).clear();
    }

    @Override
    public void close() {
        server.close();
        group.close();
        key.close();
    }

    private final class Handler implements ConnectionHandler {
        private Device device;

        @Override
        public void onReady(Connection connection) {
            synchronized (FakeServer.this) {
                open.add(connection);
            }
        }

        @Override
        public void onFrame(Connection c, Frame frame) {
            synchronized (FakeServer.this) {
                Frame reply = handle(c, frame);
                if (reply != null) {
                    c.send(reply);
                }
            }
        }

        @Override
        public void onClosed(Connection connection, CloseReason reason) {
            synchronized (FakeServer.this) {
                synced.remove(connection);
                open.remove(connection);
            }
        }

        private Frame handle(Connection c, Frame frame) {
            int id = frame.requestId();
            if (device == null && !(frame instanceof AuthFrame.Register || frame instanceof AuthFrame.Login
                                    || frame instanceof AuthFrame.Resume || frame instanceof ControlFrame.Ping)) {
                return ControlFrame.Error.of(id, ErrorCode.UNAUTHORIZED, "log in first");
            }
            return switch (frame) {
                case AuthFrame.Register r -> {
                    if (passwords.containsKey(r.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.EXISTS, "that name is taken");
                    }
                    passwords.put(r.user(), r.password().clone());
                    yield authOk(c, id, r.user(), r.deviceName());
                }
                case AuthFrame.Login l -> {
                    byte[] pw = passwords.get(l.user());
                    if (pw == null || !Arrays.equals(pw, l.password())) {
                        yield ControlFrame.Error.of(id, ErrorCode.BAD_CREDENTIALS, "wrong user name or password");
                    }
                    yield authOk(c, id, l.user(), l.deviceName());
                }
                case AuthFrame.Resume r -> {
                    Device d = devices.get(r.deviceId());
                    if (d == null || !d.user().equals(r.user()) || !Arrays.equals(d.key(), c.remoteStatic())
                        || !d.token().matches(r.token())) {
                        yield ControlFrame.Error.of(id, ErrorCode.BAD_CREDENTIALS, "wrong user name or password");
                    }
                    device = d;
                    yield new AuthFrame.AuthOk(id, d.user(), d.id(), DeviceToken.of(d.token().toByteArray()));
                }
                case AuthFrame.Logout l -> {
                    devices.remove(device.id());
                    yield new ControlFrame.Ok(id);
                }
                case DeviceFrame.Devices d -> new DeviceFrame.DeviceList(id, devices.values().stream()
                        .filter(x -> x.user().equals(device.user()))
                        .map(x -> new DeviceInfo(x.id(), x.name(), 1_700_000_000_000L, 0, x.id() == device.id()))
                        .toList(), false);
                case DeviceFrame.DeviceRevoke r -> {
                    Device d = devices.get(r.deviceId());
                    if (d == null || !d.user().equals(device.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.NOT_FOUND, "no such device");
                    }
                    devices.remove(d.id());
                    yield new ControlFrame.Ok(id);
                }
                case RoomFrame.RoomCreate r -> {
                    if (rooms.containsKey(r.room())) {
                        yield ControlFrame.Error.of(id, ErrorCode.EXISTS, "that room exists");
                    }
                    rooms.put(r.room(), new Room(device.user()));
                    yield new ControlFrame.Ok(id);
                }
                case RoomFrame.RoomInvite r -> {
                    Room room = rooms.get(r.room());
                    if (room == null || !room.members.contains(device.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.NOT_MEMBER, "not a member");
                    }
                    if (!passwords.containsKey(r.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.NOT_FOUND, "no such user");
                    }
                    room.invited.add(r.user());
                    yield new ControlFrame.Ok(id);
                }
                case RoomFrame.RoomJoin r -> {
                    Room room = rooms.get(r.room());
                    if (room == null || !room.invited.remove(device.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.FORBIDDEN, "not invited");
                    }
                    room.members.add(device.user());
                    yield new ControlFrame.Ok(id);
                }
                case RoomFrame.RoomLeave r -> {
                    Room room = rooms.get(r.room());
                    if (room == null || !room.members.remove(device.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.NOT_MEMBER, "not a member");
                    }
                    yield new ControlFrame.Ok(id);
                }
                case RoomFrame.RoomKick r -> {
                    Room room = rooms.get(r.room());
                    if (room == null || !room.owner.equals(device.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.FORBIDDEN, "only the owner kicks");
                    }
                    room.members.remove(r.user());
                    room.invited.remove(r.user());
                    yield new ControlFrame.Ok(id);
                }
                case RoomFrame.RoomList r -> new RoomFrame.RoomListReply(id, rooms.entrySet().stream()
                        .filter(e -> e.getValue().members.contains(device.user())
                                     || e.getValue().invited.contains(device.user()))
                        .map(e -> new RoomInfo(e.getKey(), e.getValue().members.contains(device.user())
                                ? RoomStatus.MEMBER : RoomStatus.INVITED, e.getValue().members.size()))
                        .toList(), false);
                case RoomFrame.RoomMembers r -> {
                    Room room = rooms.get(r.room());
                    if (room == null || !room.members.contains(device.user())) {
                        yield ControlFrame.Error.of(id, ErrorCode.NOT_MEMBER, "you are not in #" + r.room());
                    }
                    var list = new ArrayList<MemberInfo>();
                    room.members.forEach(m -> list.add(new MemberInfo(m, m.equals(room.owner) ? MemberRole.OWNER
                            : MemberRole.MEMBER)));
                    room.invited.forEach(m -> list.add(new MemberInfo(m, MemberRole.INVITED)));
                    yield new RoomFrame.MemberList(id, list, false);
                }
                case MessageFrame.Send s -> send(c, s);
                case MessageFrame.SendDevices s -> sendDevices(c, s);
                case KeyFrame.KeysPublish k -> {
                    Keys mine = keys.computeIfAbsent(device.id(), x -> new Keys());
                    if (mine.identity != null && !Arrays.equals(mine.identity, k.identity())) {
                        yield ControlFrame.Error.of(id, ErrorCode.FORBIDDEN, "identity is fixed");
                    }
                    mine.identity = k.identity();
                    mine.signedPreKey = k.signedPreKey();
                    mine.kemPreKey = k.kemPreKey();
                    mine.oneTime.addAll(k.oneTimePreKeys());
                    yield new KeyFrame.KeysStatus(id, mine.oneTime.size());
                }
                case KeyFrame.DeviceKeys k -> {
                    var users = new ArrayList<UserDeviceKeys>();
                    for (String u : k.users()) {
                        var list = new ArrayList<DeviceKey>();
                        devices.values().stream().filter(d -> d.user().equals(u) && keys.containsKey(d.id()))
                                .forEach(d -> list.add(new DeviceKey(d.id(), keys.get(d.id()).identity)));
                        users.add(new UserDeviceKeys(u, list));
                    }
                    yield KeyFrame.DeviceKeysReply.fitting(id, users);
                }
                case KeyFrame.KeyBundles b -> {
                    var list = new ArrayList<KeyBundle>();
                    for (int deviceId : b.deviceIds()) {
                        Device d = devices.get(deviceId);
                        Keys k = keys.get(deviceId);
                        if (d != null && k != null && d.user().equals(b.user())) {
                            byte[] one = k.oneTime.isEmpty() ? new byte[0] : k.oneTime.poll();
                            list.add(new KeyBundle(deviceId, k.identity, k.signedPreKey, k.kemPreKey, one));
                        }
                    }
                    yield new KeyFrame.KeyBundlesReply(id, b.user(), list, false);
                }
                case MessageFrame.Sync s -> {
                    long cursor = cursors.getOrDefault(device.id(), 0L);
                    int n = 0;
                    for (Stored m : messages) {
                        if (m.seq() > cursor && m.recipients().contains(device.id())) {
                            c.send(deliver(m));
                            n++;
                        }
                    }
                    synced.put(c, device.id());
                    syncs.incrementAndGet();
                    yield new MessageFrame.SyncDone(id, n, seq);
                }
                case MessageFrame.Ack a -> {
                    cursors.merge(device.id(), a.seq(), Math::max);
                    yield new ControlFrame.Ok(id);
                }
                case ControlFrame.Ping p -> new ControlFrame.Pong(id, p.nonce());
                case AccountFrame.AccountPublish p -> accountPublish(device.user(), id, p);
                case AccountFrame.AccountKeys k -> {
                    if (dropOnAccountKeys.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        c.close();
                        yield null;
                    }
                    yield accountKeys(device.user(), id, k);
                }
                case RoomLogFrame.RoomStatement r -> roomStatement(device.user(), id, r);
                case RoomLogFrame.RoomLog r -> roomLog(device.user(), id, r);
                case KemKeyFrame.KemPreKeysPublish k -> kemPublish(device.id(), id, k);
                case KemKeyFrame.KeyBundlesPq b -> pqBundles(id, b);
                case BackupFrame b -> backup(device.user(), device.id(), id, b);
                default -> ControlFrame.Error.of(id, ErrorCode.UNSUPPORTED, "not in the fake");
            };
        }

        private Frame authOk(Connection c, int id, String user, String name) {
            Device d = devices.values().stream()
                    .filter(x -> x.user().equals(user) && Arrays.equals(x.key(), c.remoteStatic())).findFirst()
                    .orElse(null);
            if (d == null) {
                d = new Device(nextDevice++, user, c.remoteStatic(), DeviceToken.random(rng), name);
                cursors.put(d.id(), seq);
            } else {
                d = new Device(d.id(), user, d.key(), DeviceToken.random(rng), d.name());
            }
            devices.put(d.id(), d);
            device = d;
            return new AuthFrame.AuthOk(id, user, d.id(), DeviceToken.of(d.token().toByteArray()));
        }

        private Frame send(Connection c, MessageFrame.Send s) {
            sendsReceived.incrementAndGet();
            Frame refused = refusedRoomSend(s);
            if (refused != null) {
                return refused;
            }
            String key = device.user() + "/" + s.messageId();
            MessageFrame.SendOk earlier = sent.get(key);
            if (earlier != null) {
                return dropOr(c, new MessageFrame.SendOk(s.requestId(), earlier.seq(), earlier.tsMs()));
            }
            var recipients = new LinkedHashSet<Integer>();
            if (s.kind() == TargetKind.ROOM) {
                Room room = rooms.get(s.target());
                if (room == null || !room.members.contains(device.user())) {
                    return ControlFrame.Error.of(s.requestId(), ErrorCode.NOT_MEMBER, "you are not in #" + s.target());
                }
                devices.values().stream().filter(d -> room.members.contains(d.user()) && d.id() != device.id())
                        .forEach(d -> recipients.add(d.id()));
            } else {
                if (!passwords.containsKey(s.target())) {
                    return ControlFrame.Error.of(s.requestId(), ErrorCode.NOT_FOUND, "no such user");
                }
                devices.values().stream().filter(d -> d.user().equals(s.target())
                        || (d.user().equals(device.user()) && d.id() != device.id())).forEach(d -> recipients.add(d.id()));
            }
            var m = new Stored(++seq, System.currentTimeMillis(), s.kind(), s.target(), device.user(), device.id(),
                    s.messageId(), s.alg(), s.body().clone(), recipients);
            messages.add(m);
            var ok = new MessageFrame.SendOk(s.requestId(), m.seq(), m.tsMs());
            sent.put(key, ok);
            synced.forEach((conn, dev) -> {
                if (recipients.contains(dev)) {
                    conn.send(deliver(m));
                }
            });
            return dropOr(c, ok);
        }

        private Frame sendDevices(Connection c, MessageFrame.SendDevices s) {
            sendsReceived.incrementAndGet();
            String key = device.user() + "/" + s.messageId();
            MessageFrame.SendOk earlier = sent.get(key);
            if (earlier != null) {
                return dropOr(c, new MessageFrame.SendOk(s.requestId(), earlier.seq(), earlier.tsMs()));
            }
            if (s.kind() == TargetKind.ROOM && (rooms.get(s.target()) == null
                    || !rooms.get(s.target()).members.contains(device.user()))) {
                return ControlFrame.Error.of(s.requestId(), ErrorCode.NOT_MEMBER, "you are not in #" + s.target());
            }
            if (s.kind() == TargetKind.DIRECT && !passwords.containsKey(s.target())) {
                return ControlFrame.Error.of(s.requestId(), ErrorCode.NOT_FOUND, "no such user");
            }
            long ts = System.currentTimeMillis();
            for (DeviceBody e : s.entries()) {
                Device d = devices.get(e.deviceId());
                if (d == null || !d.user().equals(e.user()) || d.id() == device.id()) {
                    continue;
                }
                var m = new Stored(++seq, ts, s.kind(), s.target(), device.user(), device.id(), s.messageId(), s.alg(),
                        e.body().clone(), Set.of(d.id()));
                messages.add(m);
                synced.forEach((conn, dev) -> {
                    if (dev == d.id()) {
                        conn.send(deliver(m));
                    }
                });
            }
            var ok = new MessageFrame.SendOk(s.requestId(), seq, ts);
            sent.put(key, ok);
            return dropOr(c, ok);
        }

        /** The reply, or nothing and a closed connection while drops are asked for. */
        private Frame dropOr(Connection c, Frame reply) {
            if (dropAfterStoring.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                c.close();
                return null;
            }
            return reply;
        }

        private static Frame deliver(Stored m) {
            return new MessageFrame.Deliver(0, m.kind(), m.target(), m.from(), m.fromDevice(), m.seq(), m.tsMs(), m.id(),
                    m.alg(), m.body());
        }
    }

    // ---- signed room membership (protocol §8) and a server that lies about it ----

    private Frame roomStatement(String user, int id, RoomLogFrame.RoomStatement frame) {
        crumbhub.crypto.account.RoomStatement st;
        try {
            st = crumbhub.crypto.account.RoomStatement.decode(frame.statement().bytes());
        } catch (crumbhub.crypto.CryptoException e) {
            return ControlFrame.Error.of(id, ErrorCode.INVALID_KEY, "does not decode");
        }
        Room room = rooms.get(st.room());
        List<byte[]> log = room == null ? List.of() : room.log;
        byte[] head = log.isEmpty() ? new byte[0] : sha256(log.getLast());
        if (!st.actor().equals(user) || st.seq() != log.size() || !Arrays.equals(st.previous(), head)) {
            return ControlFrame.Error.of(id, ErrorCode.WRONG_STATE, "not the next statement");
        }
        switch (st.action()) {
            case CREATE -> {
                if (room == null) {
                    room = new Room(user);
                    rooms.put(st.room(), room);
                }
            }
            case INVITE -> room.invited.add(st.subject());
            case JOIN -> {
                if (!room.invited.remove(user)) {
                    return ControlFrame.Error.of(id, ErrorCode.FORBIDDEN, "not invited");
                }
                room.members.add(user);
            }
            case LEAVE -> {
                room.members.remove(user);
                room.invited.remove(user);
                if (room.owner.equals(user) && !room.members.isEmpty()) {
                    room.owner = room.members.iterator().next();
                }
            }
            case KICK -> {
                room.members.remove(st.subject());
                room.invited.remove(st.subject());
            }
        }
        room.log.add(frame.statement().bytes());
        return new ControlFrame.Ok(id);
    }

    private Frame roomLog(String user, int id, RoomLogFrame.RoomLog r) {
        Room room = rooms.get(r.room());
        if (room == null || !(room.members.contains(user) || room.invited.contains(user))) {
            return ControlFrame.Error.of(id, ErrorCode.NOT_MEMBER, "you are not in #" + r.room());
        }
        var entries = room.log.subList(Math.min(r.from(), room.log.size()), room.log.size()).stream()
                .map(RoomLogFrame.Statement::new).toList();
        return RoomLogFrame.RoomLogReply.fitting(id, r.room(), r.from(), room.log.size(), entries);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server that adds {@code user} to {@code room} without any signed invitation or join. */
    synchronized void addMemberUnsigned(String room, String user) {
        rooms.get(room).members.add(user);
    }

    /** A server that removes {@code user} from {@code room} without a signed statement. */
    synchronized void removeMemberUnsigned(String room, String user) {
        rooms.get(room).members.remove(user);
    }

    /** The encoded statements of {@code room}'s log. */
    synchronized List<byte[]> roomLog(String room) {
        return List.copyOf(rooms.get(room).log);
    }

    /** Replaces {@code room}'s stored log by {@code log} (a server that drops, reorders or forges entries). */
    synchronized void rewriteRoomLog(String room, List<byte[]> log) {
        rooms.get(room).log.clear();
        rooms.get(room).log.addAll(log);
    }

    /** A room made before signed membership: {@code owner} and {@code members}, no log. */
    synchronized void legacyRoom(String room, String owner, String... members) {
        var r = new Room(owner);
        r.members.addAll(List.of(members));
        rooms.put(room, r);
    }
}
