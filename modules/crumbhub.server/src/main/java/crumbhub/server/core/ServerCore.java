package crumbhub.server.core;

import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Rejected;
import crumbhub.server.domain.State;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.FatalErrors;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request handling of the server (protocol §3–§5), and where its parts are put together.
 * Network threads call {@link #connected}, {@link #received}, {@link #writable} and
 * {@link #disconnected}; everything that touches the domain then runs on the single
 * {@link CoreExecutor} thread, where the {@link RequestRouter} hands each request to the handler
 * of its protocol area ({@link AuthRequests}, {@link MessageRequests}, {@link RoomRequests},
 * {@link DeviceRequests}); {@link AdminOps} gives the admin socket the same single-threaded
 * access, and {@link CoreLifecycle} owns snapshots, maintenance, rollback and shutdown.
 *
 * <p>Changes are applied at once and journaled; a reply that reports a change waits until the
 * change is durable. A message is pushed as soon as its record is appended when the durable seq
 * lease covers it, else once durable ({@link SeqLeases}).
 */
public final class ServerCore {
    /** Keys the login throttle remembers at most. */
    static final int THROTTLE_KEYS = 100_000;
    /** Address buckets the registration limit remembers at most. */
    static final int REGISTRATION_ADDRESSES = 100_000;

    private final CoreExecutor core;
    private final Domain domain;
    private final Journal journal;
    private final Delivery delivery;
    private final SeqLeases leases;
    private final DeviceRequests devices;
    private final RequestRouter router;
    private final CoreLifecycle lifecycle;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Counters counters = new Counters();
    private final AdminOps admin;
    private final DiskWatch disk;
    private final BackupRequests backups;
    private final FileRequests files;

    /**
     * @param state the recovered state; from now on owned by the core thread
     * @param log   where changes become durable; it must hold after a failure ({@link ChangeLog})
     */
    public ServerCore(ServerOptions options, State state, ChangeLog log, SecureRandom random) {
        this(options, state, log, random, randomPseudonyms(random));
    }

    /**
     * As {@link #ServerCore(ServerOptions, State, ChangeLog, SecureRandom)}, naming users in logs
     * with {@code pseudonyms} (keyed by the server key, so stable across restarts).
     */
    public ServerCore(ServerOptions options, State state, ChangeLog log, SecureRandom random,
                      ServerSecrets.Pseudonyms pseudonyms) {
        this(options, state, log, random, new CoreExecutor("crumbhub-core", options.coreQueueCapacity(), options.ticks(),
                FatalErrors.INSTALLED),
                new HashWorkers(options.hashThreads()), pseudonyms);
    }

    private static ServerSecrets.Pseudonyms randomPseudonyms(SecureRandom random) {
        byte[] key = new byte[ServerSecrets.KEY_LENGTH];
        random.nextBytes(key);
        var p = new ServerSecrets.Pseudonyms(key);
        java.util.Arrays.fill(key, (byte) 0);
        return p;
    }

    /**
     * As the public constructor, on {@code core} and {@code hashers}: tests pass a
     * {@link CoreExecutor#manual} core and {@link HashWorkers#inline()} hashing to drive every step by hand.
     */
    ServerCore(ServerOptions options, State state, ChangeLog log, SecureRandom random, CoreExecutor core,
               HashWorkers hashers) {
        this(options, state, log, random, core, hashers, randomPseudonyms(random));
    }

    private ServerCore(ServerOptions options, State state, ChangeLog log, SecureRandom random, CoreExecutor core,
                       HashWorkers hashers, ServerSecrets.Pseudonyms pseudonyms) {
        this.core = core;
        this.journal = new Journal(log, core, state, 16L << 20, this::rolledBack);
        this.domain = new Domain(state, options.clock(), random, journal, options.quotas());
        this.leases = new SeqLeases(domain, journal);
        this.delivery = new Delivery(core, journal, leases, state.lastSeq(), counters,
                options.maxOutboundTotalBytes());
        var lookups = new LookupLimits(options.abuse(), core::nanoTime, THROTTLE_KEYS);
        var keys = new KeyRequests(domain, journal, delivery, leases, counters, lookups);
        this.disk = DiskWatch.of(options);
        var replies = new Replies(journal, options.limits(), disk);
        var throttle = new LoginThrottle(options.clock(), options.throttleBase(), options.throttleCap(), THROTTLE_KEYS);
        var registrations = new RegistrationRates(options.limits().registrationsPerAddress(),
                options.limits().registrations(), REGISTRATION_ADDRESSES);
        var auth = new AuthRequests(journal, delivery, keys, replies, success -> new Authenticator(domain, core,
                hashers, throttle, random, options.registration(), options.passwordIterations(), success,
                replies::writeRefusal, registrations, counters, options.abuse().passwordMinLength(), pseudonyms));
        this.devices = new DeviceRequests(domain, journal, delivery, keys, replies);
        this.backups = new BackupRequests(domain, replies);
        this.files = new FileRequests(replies, options.files(), options.clock());
        this.router = new RequestRouter(auth, new MessageRequests(domain, delivery, leases, replies),
                new RoomRequests(domain, replies, new MembershipPush(domain, journal, delivery)), devices,
                new AccountRequests(domain, replies, keys), backups, delivery, core, options.limits().userRequests(), files);
        this.lifecycle = new CoreLifecycle(options, core, domain, journal, delivery, leases, hashers, registrations);
        this.admin = new AdminOps(this);
        lifecycle.start(router);
    }

    /**
     * Attaches the accounts' history backups (docs/server.md "History backup"); until then backup
     * requests are answered {@code storage}. Any thread.
     */
    public void attachBackups(crumbhub.server.store.BackupBlobs blobs) {
        backups.attach(blobs);
    }

    /**
     * Attaches the file blob store (docs/server.md "Files") and starts its expiry sweep on the
     * core's timer; until then file requests are answered {@code storage}. Any thread.
     */
    public void attachFiles(crumbhub.server.store.FileBlobs blobs) {
        files.attach(blobs);
        core.execute(() -> core.every(FileRequests.SWEEP, files::sweep));
    }

    public AdminOps admin() {
        return admin;
    }

    /**
     * The free bytes on the data directory's file system (at most a second old), and whether they
     * are below the watermark ({@link DiskWatch}). Any thread.
     */
    public long freeDisk() {
        return disk.free();
    }

    /** Whether the free disk space is below the watermark: growing writes are refused. Any thread. */
    public boolean diskLow() {
        return disk.low();
    }

    /** Event counters for metrics. */
    public Counters counters() {
        return counters;
    }

    /**
     * Completes on the core thread once it has run every timer due by now on its clock: for tests
     * that move {@link ServerOptions#ticks()} by hand. Any thread; never blocks.
     */
    public CompletableFuture<Void> dueTimersRun() {
        var ran = new CompletableFuture<Void>();
        core.schedule(Duration.ZERO, () -> ran.complete(null));
        return ran;
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
    /** A key upload's signature checks, which throw {@link Rejected} for a bad one. */
    @FunctionalInterface
    private interface KeyVerification<V> {
        V verify() throws Rejected;
    }

    /**
     * Checks a key upload's signatures here on the network thread, not on the core (milliseconds
     * of work per upload), then hands the checked keys to the core to publish.
     */
    private <V> void publishVerified(Session s, int requestId, KeyVerification<V> check,
                                     java.util.function.Consumer<V> publish) {
        V verified;
        try {
            verified = check.verify();
        } catch (Rejected r) {
            s.peer().send(Errors.of(requestId, r));
            return;
        }
        if (!core.offer(() -> {
            publish.accept(verified);
            lifecycle.maybeSnapshot();
        }, s.peer().loop())) {
            s.peer().send(Errors.busy(requestId));
        }
    }

    public void received(Session s, Frame f) {
        switch (f) {
            case ControlFrame.Ping p -> s.peer().send(new ControlFrame.Pong(p.requestId(), p.nonce()));
            case ControlFrame.Pong p -> { }
            case Frame.Unknown u -> s.peer().send(Errors.of(u.requestId(), ErrorCode.UNSUPPORTED,
                    "frame type " + u.typeName() + " is not supported"));
            // three signature checks (~2 ms)
            case KeyFrame.KeysPublish k when s.isReady() -> publishVerified(s, k.requestId(),
                    () -> KeyRequests.verify(k), verified -> devices.publish(s, k.requestId(), verified));
            // one signature check per key (up to 40, ~25 ms)
            case KemKeyFrame.KemPreKeysPublish k when s.isReady() -> publishVerified(s, k.requestId(),
                    () -> KeyRequests.verify(k), verified -> devices.publishKem(s, k.requestId(), verified));
            default -> {
                if (!core.offer(() -> handle(s, f), s.peer().loop())) {
                    s.peer().send(Errors.busy(f.requestId()));
                }
            }
        }
    }

    /** The connection drained below its outbound bound. Any thread. */
    public void writable(Session s) {
        core.execute(() -> {
            if (s.isReady()) {
                delivery.writable(s);
            }
        }, s.peer().loop());
    }

    /** The connection closed. Any thread. */
    public void disconnected(Session s) {
        core.execute(() -> {
            boolean wasReady = s.close();
            delivery.detach(s);
            if (wasReady && !lifecycle.stopping() && !journal.failing() && !s.device().revoked()) {
                domain.seen(s.device());
            }
        }, s.peer().loop());
    }

    /** True once the session authenticated; read by the network thread for the auth timeout. */
    public static boolean authenticated(Session s) {
        return s.isReady();
    }

    // ---- core thread ----

    private void handle(Session s, Frame f) {
        router.route(s, f);
        lifecycle.maybeSnapshot();
    }

    /** Closes every connection of a device (revoked, or its user banned). Core thread. */
    void closeSessions(Device d, String why) {
        devices.closeSessions(d, why);
    }

    /** The journal rolled the state back after a storage fault (core thread). */
    private void rolledBack() {
        lifecycle.rolledBack();
    }

    // ---- shutdown ----

    /** See {@link CoreLifecycle#shutdown}. Call from a non-core thread. */
    public void shutdown(Duration timeout) throws InterruptedException {
        lifecycle.shutdown(timeout);
    }
}
