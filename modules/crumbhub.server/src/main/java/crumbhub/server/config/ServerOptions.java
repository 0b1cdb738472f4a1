package crumbhub.server.config;

import crumbhub.crypto.PasswordHash;
import crumbhub.wire.log.LogFormat;
import crumbhub.wire.loop.NanoClock;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.RegistrationMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of a running server, validated, in one place (STYLE "Configuration").
 * {@link CommandLine} builds it from flags, environment and file; tests build it with
 * {@link #builder()} and may lower costs (password iterations, delays) that an operator
 * cannot.
 *
 * @param dataDir            where the store, the server key and the admin socket live
 * @param listen             address to accept clients on; port 0 picks a free port
 * @param registration       who may create accounts; {@code invite} by default, so a new server is
 *                           no open drop box (docs/operations.md, "Registration")
 * @param metrics            optional local address for metrics and health, or null
 * @param logFormat          text or JSON log lines
 * @param logLevel           lowest level of log records shown
 * @param loopThreads        network event-loop threads
 * @param hashThreads        threads that run PBKDF2 (each hash keeps one core busy ~0.3 s)
 * @param passwordIterations PBKDF2 iterations for new hashes; at least 600,000 outside tests
 * @param retention          how long an unacknowledged message is kept
 * @param authTimeout        time after the handshake to authenticate (protocol §1)
 * @param idleTimeout        time without any frame before a connection is closed (protocol §1)
 * @param maxOutboundBytes   outbound bytes queued on a connection before live pushes pause (protocol §4)
 * @param maxOutboundTotalBytes outbound bytes queued on all connections together above which live pushes and
 *                           catch-up pause for every connection holding more than a few KiB, so many slow
 *                           readers cannot fill the heap with their buffers (docs/operations.md "Memory")
 * @param snapshotLogBytes   bytes of records appended to the log between snapshots (at least; see
 *                           {@code CoreLifecycle.maybeSnapshot}): bounds the log a restart replays
 * @param throttleBase       delay after the first failed login; doubles with each further failure
 * @param throttleCap        longest login delay
 * @param coreQueueCapacity  requests waiting for the core thread before new ones are refused
 * @param clock              time source for timestamps, expiry and throttling
 * @param ticks              monotonic time of every timer and rate: the core's and the network loops'
 *                           (tests pass a manual one and move it by hand)
 * @param limits             connection, size and rate limits against floods and hostile clients
 * @param quotas             what one account may make the server keep (docs/server.md "Quotas")
 * @param minFreeDisk        free bytes the data directory's file system keeps: below them new messages,
 *                           rooms and invitations are refused with {@code storage}, while reads, sync and
 *                           acks go on (docs/operations.md "Disk")
 * @param freeSpace          how the free bytes are read: the file system's by default; tests pass their own
 * @param abuse              limits against a patient user with an account (passwords, lookups, bundles)
 * @param advertise          the address clients reach the server at, put in invite links; null: the
 *                           listen address, unless that is a wildcard (docs/operations.md "Invite links")
 * @param files              sizes, quotas and lifetimes of file blobs (docs/server.md "Files")
 */
public record ServerOptions(
        Path dataDir,
        HostPort listen,
        RegistrationMode registration,
        HostPort metrics,
        LogFormat logFormat,
        System.Logger.Level logLevel,
        int loopThreads,
        int hashThreads,
        int passwordIterations,
        Duration retention,
        Duration authTimeout,
        Duration idleTimeout,
        long maxOutboundBytes,
        long maxOutboundTotalBytes,
        long snapshotLogBytes,
        Duration throttleBase,
        Duration throttleCap,
        int coreQueueCapacity,
        Clock clock,
        NanoClock ticks,
        LimitOptions limits,
        Quotas quotas,
        long minFreeDisk,
        FreeSpace freeSpace,
        AbuseLimits abuse,
        HostPort advertise,
        FileLimits files) {

    public static final String DEFAULT_DATA = "./crumbhub-data";
    public static final String DEFAULT_LISTEN = "0.0.0.0:5555";
    /**
     * 32 MiB of log between snapshots: a restart replays at most about this much (about 220,000
     * messages, 2 s), and at 10,000 messages a second (1.8 MB/s of records) the core stops to
     * encode the state once every 18 s or so instead of every few seconds (server.md, "Snapshots").
     */
    public static final long DEFAULT_SNAPSHOT_LOG_BYTES = 32L << 20;
    /**
     * 256 MiB free on the data directory's file system: room for a snapshot of a large state, the
     * log a restart needs and the operator's own tools, taken long before the disk is full.
     */
    public static final long DEFAULT_MIN_FREE_DISK = 256L << 20;

    /**
     * An eighth of this JVM's maximum heap, at least 16 MiB: 64 MiB under the launcher's default
     * {@code -Xmx512m}, beside the quarter the waiting messages may take (docs/operations.md
     * "Memory").
     */
    public static long defaultOutboundTotalBytes() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    /** The usable bytes left on the file system of a directory. Called on the core thread; must not block long. */
    @FunctionalInterface
    public interface FreeSpace {
        long usableBytes(Path dir) throws java.io.IOException;

        /** The file system's own count ({@link java.nio.file.FileStore#getUsableSpace()}). */
        FreeSpace FILE_SYSTEM = dir -> java.nio.file.Files.getFileStore(dir).getUsableSpace();
    }

    public ServerOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ticks, "ticks");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(freeSpace, "freeSpace");
        if (minFreeDisk < 0) {
            throw new IllegalArgumentException("minFreeDisk must not be negative");
        }
        Objects.requireNonNull(abuse, "abuse");
        Objects.requireNonNull(files, "files");
        if (advertise != null && advertise.port() == 0) {
            throw new IllegalArgumentException("an advertised address needs a port");
        }
        requirePositive(loopThreads, "loopThreads");
        requirePositive(hashThreads, "hashThreads");
        requirePositive(passwordIterations, "passwordIterations");
        requirePositive(snapshotLogBytes, "snapshotLogBytes");
        requirePositive(coreQueueCapacity, "coreQueueCapacity");
        if (maxOutboundTotalBytes < 1024) {
            throw new IllegalArgumentException("maxOutboundTotalBytes must be at least 1024");
        }
        if (maxOutboundBytes < 1024) {
            throw new IllegalArgumentException("maxOutboundBytes must be at least 1024");
        }
        for (Duration d : new Duration[] {retention, authTimeout, idleTimeout, throttleBase, throttleCap}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
    }

    private static void requirePositive(long v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        var b = new Builder();
        b.dataDir = dataDir;
        b.listen = listen;
        b.registration = registration;
        b.metrics = metrics;
        b.logFormat = logFormat;
        b.logLevel = logLevel;
        b.loopThreads = loopThreads;
        b.hashThreads = hashThreads;
        b.passwordIterations = passwordIterations;
        b.retention = retention;
        b.authTimeout = authTimeout;
        b.idleTimeout = idleTimeout;
        b.maxOutboundBytes = maxOutboundBytes;
        b.maxOutboundTotalBytes = maxOutboundTotalBytes;
        b.snapshotLogBytes = snapshotLogBytes;
        b.throttleBase = throttleBase;
        b.throttleCap = throttleCap;
        b.coreQueueCapacity = coreQueueCapacity;
        b.clock = clock;
        b.ticks = ticks;
        b.limits = limits;
        b.quotas = quotas;
        b.minFreeDisk = minFreeDisk;
        b.freeSpace = freeSpace;
        b.abuse = abuse;
        b.advertise = advertise;
        b.files = files;
        return b;
    }

    /** Mutable builder starting from the defaults an operator gets with no configuration. */
    public static final class Builder {
        private Path dataDir = Path.of(DEFAULT_DATA);
        private HostPort listen = new HostPort("0.0.0.0", 5555);
        private RegistrationMode registration = RegistrationMode.INVITE;
        private HostPort metrics;
        private LogFormat logFormat = LogFormat.TEXT;
        private System.Logger.Level logLevel = System.Logger.Level.INFO;
        private int loopThreads = Runtime.getRuntime().availableProcessors();
        private int hashThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        private int passwordIterations = PasswordHash.DEFAULT_ITERATIONS;
        private Duration retention = Duration.ofDays(30);
        private Duration authTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(300);
        private long maxOutboundBytes = 1 << 20;
        private long maxOutboundTotalBytes = defaultOutboundTotalBytes();
        private long snapshotLogBytes = DEFAULT_SNAPSHOT_LOG_BYTES;
        private Duration throttleBase = Duration.ofSeconds(1);
        private Duration throttleCap = Duration.ofSeconds(60);
        private int coreQueueCapacity = 65_536;
        private Clock clock = Clock.systemUTC();
        private NanoClock ticks = NanoClock.SYSTEM;
        private LimitOptions limits = LimitOptions.defaults();
        private Quotas quotas = Quotas.defaults();
        private long minFreeDisk = DEFAULT_MIN_FREE_DISK;
        private FreeSpace freeSpace = FreeSpace.FILE_SYSTEM;
        private AbuseLimits abuse = AbuseLimits.defaults();
        private HostPort advertise;
        private FileLimits files = FileLimits.defaults();

        private Builder() {}

        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder listen(HostPort v) { listen = v; return this; }
        public Builder registration(RegistrationMode v) { registration = v; return this; }
        public Builder metrics(HostPort v) { metrics = v; return this; }
        public Builder logFormat(LogFormat v) { logFormat = v; return this; }
        public Builder logLevel(System.Logger.Level v) { logLevel = v; return this; }
        public Builder loopThreads(int v) { loopThreads = v; return this; }
        public Builder hashThreads(int v) { hashThreads = v; return this; }
        /** Tests only: production keeps {@link PasswordHash#DEFAULT_ITERATIONS}. */
        public Builder passwordIterations(int v) { passwordIterations = v; return this; }
        public Builder retention(Duration v) { retention = v; return this; }
        public Builder authTimeout(Duration v) { authTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder maxOutboundBytes(long v) { maxOutboundBytes = v; return this; }
        public Builder maxOutboundTotalBytes(long v) { maxOutboundTotalBytes = v; return this; }
        public Builder snapshotLogBytes(long v) { snapshotLogBytes = v; return this; }
        public Builder throttle(Duration base, Duration cap) { throttleBase = base; throttleCap = cap; return this; }
        public Builder coreQueueCapacity(int v) { coreQueueCapacity = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder ticks(NanoClock v) { ticks = v; return this; }
        public Builder limits(LimitOptions v) { limits = v; return this; }
        public Builder quotas(Quotas v) { quotas = v; return this; }
        public Builder minFreeDisk(long v) { minFreeDisk = v; return this; }
        /** Tests only: production reads the file system. */
        public Builder freeSpace(FreeSpace v) { freeSpace = v; return this; }

        public LimitOptions limits() { return limits; }
        public Builder abuse(AbuseLimits v) { abuse = v; return this; }
        public AbuseLimits abuse() { return abuse; }
        /** Null: the listen address. */
        public Builder advertise(HostPort v) { advertise = v; return this; }

        public Quotas quotas() { return quotas; }
        public Builder files(FileLimits v) { files = v; return this; }
        public FileLimits files() { return files; }

        public ServerOptions build() {
            return new ServerOptions(dataDir, listen, registration, metrics, logFormat, logLevel, loopThreads, hashThreads,
                    passwordIterations, retention, authTimeout, idleTimeout, maxOutboundBytes, maxOutboundTotalBytes, snapshotLogBytes,
                    throttleBase, throttleCap, coreQueueCapacity, clock, ticks, limits, quotas, minFreeDisk, freeSpace, abuse,
                    advertise, files);
        }
    }
}
