package crumbhub.server.core;

import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.KeyCheck;
import crumbhub.server.domain.Kind;
import crumbhub.server.domain.Rejected;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.domain.State;
import crumbhub.server.domain.User;
import crumbhub.wire.log.Log;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.TargetKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request handling of the server (protocol §3–§5). Network threads call {@link #connected},
 * {@link #received} and {@link #disconnected}; everything that touches the domain then runs on
 * the single {@link CoreExecutor} thread. Changes are applied at once and journaled; a reply
 * that reports a change waits until the change is durable. A message is pushed as soon as its
 * record is appended when the durable seq lease covers it, else once durable ({@link SeqLeases}).
 * {@link AdminOps} gives the admin socket the same single-threaded access.
 */
public final class ServerCore {
    private static final Log LOG = Log.get("crumbhub.server.core");
    /** Expiry and snapshot checks. */
    static final Duration MAINTENANCE = Duration.ofSeconds(30);
    /** Keys the login throttle remembers at most. */
    static final int THROTTLE_KEYS = 100_000;
    /** Address buckets the registration limit remembers at most. */
    static final int REGISTRATION_ADDRESSES = 100_000;

    private final ServerOptions options;
    private final CoreExecutor core;
    private final Domain domain;
    private final Journal journal;
    private final Delivery delivery;
    private final SeqLeases leases;
    private final KeyRequests keys;
    private final Authenticator auth;
    private final HashWorkers hashers;
    private final AtomicLong sessionIds = new AtomicLong();
    private final RegistrationRates registrations;
    /** Per-user request rates; core thread. Idle ones are dropped by maintenance. */
    private final java.util.Map<String, RequestLimiter> userRates = new java.util.HashMap<>();
    private final Counters counters = new Counters();
    private final AdminOps admin;
    private final ScheduledFuture<?> maintenance;
    private volatile boolean stopping;
    /** Size of the last snapshot written; see {@link #maybeSnapshot()}. */
    private long lastSnapshotBytes;

    /**
     * @param state the recovered state; from now on owned by the core thread
     * @param log   where changes become durable; it must hold after a failure ({@link ChangeLog})
     */
    public ServerCore(ServerOptions options, State state, ChangeLog log, SecureRandom random) {
        this.options = options;
        this.core = new CoreExecutor("crumbhub-core", options.coreQueueCapacity());
        this.journal = new Journal(log, core, state, 16L << 20, this::rolledBack);
        this.domain = new Domain(state, options.clock(), random, journal);
        this.leases = new SeqLeases(domain, journal);
        this.delivery = new Delivery(core, journal, leases, state.lastSeq(), counters);
        this.keys = new KeyRequests(domain, journal, delivery, leases, counters);
        this.hashers = new HashWorkers(options.hashThreads());
        var throttle = new LoginThrottle(options.clock(), options.throttleBase(), options.throttleCap(), THROTTLE_KEYS);
        this.registrations = new RegistrationRates(options.limits().registrationsPerAddress(),
                options.limits().registrations(), REGISTRATION_ADDRESSES);
        this.auth = new Authenticator(domain, core, hashers, throttle, random, options.registration(),
                options.passwordIterations(), this::authenticated, this::writeRefusal, registrations, counters);
        this.admin = new AdminOps(this);
        this.maintenance = core.every(MAINTENANCE, this::maintain);
    }

    public AdminOps admin() {
        return admin;
    }

    /** Event counters for metrics. */
    public Counters counters() {
        return counters;
    }

    CoreExecutor executor() {
        return core;
    }

    Domain domain() {
        return domain;
    }

    Journal journal() {
        return journal;
    }

    Delivery delivery() {
        return delivery;
    }

    SeqLeases leases() {
        return leases;
    }

    // ---- network side: any thread ----

    /** A connection finished its handshake. Any thread. */
    public Session connected(Peer peer) {
        return new Session(peer, sessionIds.incrementAndGet());
    }

    /**
     * A frame arrived. Any thread, never blocks. PING is answered here; everything else is
     * handed to the core, or refused with {@code throttled} if the core's queue is full.
     */
    public void received(Session s, Frame f) {
        switch (f) {
            case Frame.Ping p -> s.peer.send(new Frame.Pong(p.requestId(), p.nonce()));
            case Frame.Pong p -> { }
            case Frame.Unknown u -> s.peer.send(Errors.of(u.requestId(), ErrorCode.UNSUPPORTED,
                    "frame type " + u.typeName() + " is not supported"));
            case Frame.KeysPublish k when s.phase == Session.Phase.READY -> {
                // three signature checks (~2 ms): here on the network thread, not on the core
                KeyCheck.Verified verified;
                try {
                    verified = KeyRequests.verify(k);
                } catch (Rejected r) {
                    s.peer.send(Errors.of(k.requestId(), r));
                    return;
                }
                if (!core.offer(() -> publishKeys(s, k.requestId(), verified), s.peer.loop())) {
                    s.peer.send(Errors.busy(k.requestId()));
                }
            }
            default -> {
                if (!core.offer(() -> handle(s, f), s.peer.loop())) {
                    s.peer.send(Errors.busy(f.requestId()));
                }
            }
        }
    }

    /** The connection drained below its outbound bound. Any thread. */
    public void writable(Session s) {
        core.execute(() -> {
            if (s.phase == Session.Phase.READY) {
                delivery.writable(s);
            }
        }, s.peer.loop());
    }

    /** The connection closed. Any thread. */
    public void disconnected(Session s) {
        core.execute(() -> {
            boolean wasReady = s.phase == Session.Phase.READY;
            s.phase = Session.Phase.CLOSING;
            delivery.detach(s);
            if (wasReady && !stopping && !journal.failing() && !s.device.revoked()) {
                domain.seen(s.device);
            }
        }, s.peer.loop());
    }

    /** True once the session authenticated; read by the network thread for the auth timeout. */
    public static boolean authenticated(Session s) {
        return s.phase == Session.Phase.READY;
    }

    // ---- core thread ----

    private void handle(Session s, Frame f) {
        switch (s.phase) {
            case CLOSING -> { }
            case AUTH -> handleAuth(s, f);
            case READY -> {
                if (admitted(s, f)) {
                    handleReady(s, f);
                }
            }
        }
        maybeSnapshot();
    }

    /** The per-user request rate over all of a user's connections; refuses (or closes) if exceeded. */
    private boolean admitted(Session s, Frame f) {
        long now = System.nanoTime();
        var limiter = userRates.computeIfAbsent(s.device.userName(),
                u -> new RequestLimiter(options.limits().userRequests()));
        switch (limiter.check(now)) {
            case ADMIT -> {
                return true;
            }
            case REFUSE -> s.peer.send(Errors.of(f.requestId(), ErrorCode.THROTTLED,
                    "too many requests from your account; slow down"));
            case CLOSE -> {
                s.peer.send(Errors.of(f.requestId(), ErrorCode.THROTTLED,
                        "too many requests from your account; closing this connection"));
                s.phase = Session.Phase.CLOSING;
                delivery.detach(s);
                s.peer.close();
                LOG.warn("session_closed", "user", s.device.userName(), "reason", "request_flood");
            }
        }
        return false;
    }

    private void publishKeys(Session s, int id, KeyCheck.Verified verified) {
        if (s.phase == Session.Phase.READY && !refuseWrite(s, id)) {
            keys.publish(s, id, verified);
            maybeSnapshot();
        }
    }

    private void handleAuth(Session s, Frame f) {
        boolean authFrame = f instanceof Frame.Register || f instanceof Frame.Login || f instanceof Frame.Resume;
        if (!authFrame) {
            s.peer.send(Errors.of(f.requestId(), ErrorCode.UNAUTHORIZED, "log in first"));
            return;
        }
        if (s.authPending) {
            s.peer.send(Errors.of(f.requestId(), ErrorCode.WRONG_STATE, "an authentication is already in progress"));
            return;
        }
        if (!(f instanceof Frame.Resume) && refuseWrite(s, f.requestId())) {
            return;
        }
        s.authPending = true;
        switch (f) {
            case Frame.Register r -> auth.register(s, r);
            case Frame.Login l -> auth.login(s, l);
            case Frame.Resume r -> auth.resume(s, r);
            default -> throw new IllegalStateException("not an auth frame: " + f.typeName());
        }
    }

    private void authenticated(Session s, int requestId, Domain.Authenticated a, boolean wrote) {
        Runnable then = () -> {
            s.authPending = false;
            byte[] token = a.token();
            if (s.phase != Session.Phase.AUTH || a.device().revoked() || a.device().user().banned()) {
                Arrays.fill(token, (byte) 0);
                if (s.phase == Session.Phase.AUTH) {
                    s.peer.send(Errors.of(requestId, ErrorCode.BAD_CREDENTIALS, "wrong user name or password"));
                }
                return;
            }
            s.device = a.device();
            s.phase = Session.Phase.READY;
            delivery.attach(s);
            var reply = new Frame.AuthOk(requestId, s.device.userName(), s.device.id(), DeviceToken.of(token));
            Arrays.fill(token, (byte) 0);
            s.peer.send(reply);
            keys.tellIfLow(s.device);
        };
        if (!wrote) {
            then.run();
            return;
        }
        journal.afterDurable(then, () -> {
            s.authPending = false;
            Arrays.fill(a.token(), (byte) 0);
            s.peer.send(Errors.storage(requestId));
        });
    }

    private void handleReady(Session s, Frame f) {
        int id = f.requestId();
        User user = s.device.user();
        switch (f) {
            case Frame.Send x -> send(s, x);
            case Frame.Sync x -> {
                if (s.syncRequestId != 0) {
                    s.peer.send(Errors.of(id, ErrorCode.WRONG_STATE, "a SYNC is already running"));
                } else {
                    delivery.sync(s, id);
                }
            }
            case Frame.Ack x -> {
                if (refuseWrite(s, id)) {
                    return;
                }
                // a released seq may not be durable yet: its CursorMoved record follows its message's
                long limit = Math.min(delivery.releasedSeq(), domain.state().lastSeq());
                if (domain.acknowledge(s.device, x.seq(), limit)) {
                    okWhenDurable(s, id);
                } else {
                    s.peer.send(new Frame.Ok(id));
                }
            }
            case Frame.RoomCreate x -> change(s, id, () -> domain.rooms().create(user, x.room()));
            case Frame.RoomInvite x -> change(s, id, () -> domain.rooms().invite(user, x.room(), x.user()));
            case Frame.RoomJoin x -> change(s, id, () -> domain.rooms().join(user, x.room()));
            case Frame.RoomLeave x -> change(s, id, () -> domain.rooms().leave(user, x.room()));
            case Frame.RoomKick x -> change(s, id, () -> domain.rooms().kick(user, x.room(), x.user()));
            case Frame.RoomList x -> s.peer.send(Listings.rooms(id, domain.rooms().of(user)));
            case Frame.RoomMembers x -> {
                try {
                    s.peer.send(Listings.members(id, domain.rooms().members(user, x.room())));
                } catch (Rejected r) {
                    s.peer.send(Errors.of(id, r));
                }
            }
            case Frame.Devices x -> s.peer.send(Listings.devices(id, user, s.device));
            case Frame.DeviceRevoke x -> revoke(s, id, user, x.deviceId());
            case Frame.Logout x -> revoke(s, id, user, s.device.id());
            case Frame.Register x -> wrongState(s, id);
            case Frame.Login x -> wrongState(s, id);
            case Frame.Resume x -> wrongState(s, id);
            case Frame.Ping x -> s.peer.send(new Frame.Pong(id, x.nonce()));
            case Frame.Pong x -> { }
            case Frame.Unknown x -> s.peer.send(Errors.of(id, ErrorCode.UNSUPPORTED, "unsupported frame type"));
            case Frame.KeysPublish x -> {
                // it raced with authentication past the network thread's check: verify here instead
                try {
                    publishKeys(s, id, KeyRequests.verify(x));
                } catch (Rejected r) {
                    s.peer.send(Errors.of(id, r));
                }
            }
            case Frame.DeviceKeys x -> keys.identities(s, x);
            case Frame.KeyBundles x -> {
                if (!refuseWrite(s, id)) {
                    keys.bundles(s, x);
                }
            }
            case Frame.SendDevices x -> {
                if (x.entries().stream().anyMatch(e -> e.body().length > options.limits().maxBodyBytes())) {
                    s.peer.send(tooLarge(id));
                } else if (!refuseWrite(s, id)) {
                    keys.sendDevices(s, x);
                }
            }
            case Frame.Ok _, Frame.Error _, Frame.AuthOk _, Frame.DeviceList _, Frame.RoomListReply _,
                 Frame.MemberList _, Frame.SendOk _, Frame.SyncDone _, Frame.Deliver _, Frame.KeysStatus _,
                 Frame.DeviceKeysReply _, Frame.KeyBundlesReply _ ->
                    s.peer.send(Errors.of(id, ErrorCode.UNSUPPORTED, f.typeName() + " is not a request"));
        }
    }

    private void send(Session s, Frame.Send x) {
        int id = x.requestId();
        if (x.body().length > options.limits().maxBodyBytes()) {
            s.peer.send(tooLarge(id));
            return;
        }
        if (refuseWrite(s, id)) {
            return;
        }
        Kind kind = x.kind() == TargetKind.ROOM ? Kind.ROOM : Kind.DIRECT;
        Domain.SendResult result;
        leases.beforeStore();
        try {
            result = domain.send(s.device, kind, x.target(), x.messageId().toBytes(), x.alg(), x.body());
        } catch (Rejected r) {
            s.peer.send(Errors.of(id, r));
            return;
        }
        delivery.answerSend(s, id, result);
    }

    private void revoke(Session s, int id, User user, int deviceId) {
        if (refuseWrite(s, id)) {
            return;
        }
        try {
            domain.revokeDevice(user, deviceId);
        } catch (Rejected r) {
            s.peer.send(Errors.of(id, r));
            return;
        }
        Device d = user.device(deviceId);
        journal.afterDurable(() -> {
            boolean own = d == s.device;
            if (own) {
                s.phase = Session.Phase.CLOSING;
                delivery.detach(s);
            }
            closeSessions(d, "device_revoked");
            s.peer.send(new Frame.Ok(id));
            if (own) {
                s.peer.close();
            }
        }, () -> s.peer.send(Errors.storage(id)));
    }

    /** Closes every connection of a device (revoked, or its user banned). Core thread. */
    void closeSessions(Device d, String why) {
        if (d == null) {
            return;
        }
        for (Session other : delivery.sessionsOf(d)) {
            other.phase = Session.Phase.CLOSING;
            delivery.detach(other);
            other.peer.close();
            LOG.info("session_closed", "user", d.userName(), "device", d.id(), "reason", why);
        }
    }

    interface Change {
        void run() throws Rejected;
    }

    /** Runs a domain change and answers OK once it is durable, or the refusal at once. */
    private void change(Session s, int id, Change c) {
        if (refuseWrite(s, id)) {
            return;
        }
        try {
            c.run();
        } catch (Rejected r) {
            s.peer.send(Errors.of(id, r));
            return;
        }
        okWhenDurable(s, id);
    }

    private void okWhenDurable(Session s, int id) {
        journal.afterDurable(() -> s.peer.send(new Frame.Ok(id)), () -> s.peer.send(Errors.storage(id)));
    }

    private Frame tooLarge(int id) {
        return Errors.of(id, ErrorCode.TOO_LARGE, "a message may be at most " + options.limits().maxBodyBytes()
                + " bytes on this server");
    }

    /** Refuses a write while the store is failing or saturated; true if refused. */
    private boolean refuseWrite(Session s, int id) {
        Frame refusal = writeRefusal(id);
        if (refusal != null) {
            s.peer.send(refusal);
            return true;
        }
        return false;
    }

    /** The ERROR a write gets now ({@code storage} while the store fails, {@code throttled} while it lags), or null. */
    Frame writeRefusal(int id) {
        if (journal.failing()) {
            return Errors.storage(id);
        }
        if (journal.saturated()) {
            return Errors.busy(id);
        }
        return null;
    }

    private static void wrongState(Session s, int id) {
        s.peer.send(Errors.of(id, ErrorCode.WRONG_STATE, "already logged in on this connection"));
    }

    /**
     * Snapshots once {@code snapshotLogBytes} of records were appended since the last snapshot,
     * and not before that log is as large as the last snapshot. Bytes of log, not records: what
     * a snapshot bounds is the log a restart replays and keeps on disk, and small records
     * (acknowledgements, cursors) add little of either. Encoding stops the core for as long as
     * the state is large (milliseconds per MB), so snapshots stay rare under a steady load: at
     * 10,000 messages a second a record count made one every few seconds, each a stall in the
     * acknowledgement tail. The second bound keeps their cost a bounded share of the work per
     * record when a backlog of undelivered messages makes the state large, just when the core
     * falls behind.
     */
    void maybeSnapshot() {
        if (journal.bytesSinceSnapshot() >= Math.max(options.snapshotLogBytes(), lastSnapshotBytes)
                && !journal.failing()) {
            long t0 = System.nanoTime();
            byte[] snap = SnapshotCodec.encode(domain.state(), (int) Math.min(lastSnapshotBytes, Integer.MAX_VALUE / 2));
            lastSnapshotBytes = snap.length;
            journal.snapshot(snap);
            LOG.info("snapshot", "bytes", snap.length, "encode_ms", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void maintain() {
        long now = System.nanoTime();
        userRates.values().removeIf(l -> l.idle(now));
        registrations.prune(now);
        if (journal.failing() || stopping) {
            return;
        }
        long cutoff = options.clock().millis() - options.retention().toMillis();
        int dropped = domain.expireBefore(cutoff);
        if (dropped > 0) {
            LOG.info("messages_expired", "count", dropped);
        }
        maybeSnapshot();
    }

    /**
     * The journal rolled the state back after a storage fault (core thread): every session
     * follows its device into the restored state; a session whose device is no longer there
     * (or is revoked, or its user banned) is closed. Pushes resume from each session's position,
     * so nothing is delivered twice or skipped.
     */
    private void rolledBack() {
        leases.rolledBack();
        for (Session s : delivery.rebind(old -> {
            User u = domain.state().user(old.userName());
            Device now = u == null ? null : u.device(old.id());
            return now == null || now.revoked() || u.banned() ? null : now;
        })) {
            s.phase = Session.Phase.CLOSING;
            s.peer.close();
            LOG.info("session_closed", "reason", "rolled_back");
        }
    }

    // ---- shutdown ----

    /**
     * Stops the core: refuses new requests, lets queued work finish, waits (bounded) until
     * every change is durable, closes the connections, then stops the threads. Call from a
     * non-core thread; the store is closed afterwards by the caller.
     */
    public void shutdown(Duration timeout) throws InterruptedException {
        stopping = true;
        maintenance.cancel(false);
        var drained = new java.util.concurrent.CountDownLatch(1);
        core.execute(() -> journal.afterDurable(drained::countDown, drained::countDown));
        drained.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        var closed = new java.util.concurrent.CountDownLatch(1);
        core.execute(() -> {
            for (Device d : delivery.devices()) {
                for (Session s : delivery.sessionsOf(d)) {
                    s.phase = Session.Phase.CLOSING;
                    s.peer.close();
                }
            }
            closed.countDown();
        });
        closed.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        core.shutdown(timeout);
        hashers.close();
    }

    boolean stopping() {
        return stopping;
    }

    ServerOptions options() {
        return options;
    }
}
