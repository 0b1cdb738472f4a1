package crumbhub.server;

import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminServer;
import crumbhub.server.admin.AdminService;
import crumbhub.server.admin.InviteLinks;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.core.AdminOps;
import crumbhub.server.core.Counters;
import crumbhub.server.core.ServerCore;
import crumbhub.server.core.ServerSecrets;
import crumbhub.wire.log.Log;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.metrics.MemoryWatch;
import crumbhub.server.metrics.MetricsServer;
import crumbhub.server.metrics.PrometheusText;
import crumbhub.server.net.Listener;
import crumbhub.server.store.BackupBlobs;
import crumbhub.server.store.FileBlobs;
import crumbhub.server.store.OwnerOnly;
import crumbhub.server.store.StoreException;
import crumbhub.server.store.StoreOptions;
import crumbhub.server.store.StoreStats;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running CrumbHub server: the store, the core, the network listener, the admin socket and the
 * optional metrics endpoint, started in that order and stopped in reverse. {@link #close()}
 * stops accepting, lets work in progress finish, makes every change durable and releases the
 * data directory, so a server started again on it continues where this one stopped.
 */
public final class Server implements AutoCloseable {
    /** Bound on each shutdown step. */
    static final Duration DRAIN = Duration.ofSeconds(10);
    private static final Log LOG = Log.get("crumbhub.server");
    private static final java.time.Instant STARTED = ProcessHandle.current().info().startInstant()
            .orElseGet(java.time.Instant::now);

    private final ServerOptions options;
    private final Persistence persistence;
    private final X25519KeyPair key;
    private final ServerCore core;
    private final BackupBlobs blobs;
    private final FileBlobs files;
    private final String fingerprint;
    private final MemoryWatch memory = MemoryWatch.jvm();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Listener listener;
    private AdminServer admin;
    private MetricsServer metrics;
    private String firstInvite;

    private Server(ServerOptions options, Persistence persistence, X25519KeyPair key, BackupBlobs blobs, FileBlobs files) {
        this.files = files;
        this.options = options;
        this.persistence = persistence;
        this.blobs = blobs;
        this.key = key;
        this.fingerprint = Fingerprint.of(key.publicKey());
        byte[] priv = key.privateKey();
        byte[] logKey = ServerSecrets.derive(priv, ServerSecrets.LOG_PSEUDONYMS);
        java.util.Arrays.fill(priv, (byte) 0);
        this.core = new ServerCore(options, persistence.state(), persistence, new SecureRandom(),
                new ServerSecrets.Pseudonyms(logKey));
        java.util.Arrays.fill(logKey, (byte) 0);
        core.attachBackups(blobs);
        core.attachFiles(files);
    }

    /**
     * Starts everything and returns once connections are accepted.
     *
     * @throws StartupException with one line for the operator: data directory unusable, address in
     *                          use, state unreadable, another server on the same data directory
     */
    public static Server start(ServerOptions options) throws StartupException {
        return start(options, StoreOptions.defaults());
    }

    /** As {@link #start(ServerOptions)} with other store options: tests inject disk faults through them. */
    static Server start(ServerOptions options, StoreOptions storeOptions) throws StartupException {
        Path data = options.dataDir();
        prepareDataDir(data);
        int format;
        try {
            format = DataFormat.read(data);
        } catch (IOException e) {
            throw new StartupException("cannot read the format of " + data + ": " + message(e));
        }
        if (format > DataFormat.CURRENT) {
            throw new StartupException(DataFormat.newerMessage(data, format));
        }
        boolean firstStart = format == DataFormat.EMPTY;
        Persistence persistence;
        try {
            persistence = Persistence.open(data, storeOptions);
        } catch (StoreException e) {
            throw new StartupException(switch (e.kind()) {
                case IN_USE -> "another crumbhub-server is using the data directory " + data;
                case CORRUPTED -> e.getMessage().contains("written by a newer")
                        ? "the store in " + data + " was " + e.getMessage().substring(e.getMessage().indexOf("written by"))
                                + ": run the newer crumbhub-server, or restore a backup made by this version"
                        : "cannot recover the data in " + data + ": " + e.getMessage();
                case RECOVERY_FAILED -> "cannot recover the data in " + data + ": " + e.getMessage();
                default -> "cannot open the store in " + data + ": " + e.getMessage();
            });
        }
        X25519KeyPair key;
        try {
            key = ServerKey.loadOrCreate(data, new SecureRandom());
        } catch (IOException e) {
            persistence.close();
            throw new StartupException("cannot read or create " + data.resolve(ServerKey.FILE) + ": " + message(e));
        }
        if (format != DataFormat.CURRENT) {
            try {
                DataFormat.write(data);
            } catch (IOException e) {
                persistence.close();
                key.close();
                throw new StartupException("cannot write " + data.resolve(DataFormat.FILE) + ": " + message(e));
            }
            if (format != DataFormat.EMPTY) {
                LOG.info("data_format_upgraded", "dir", data, "from", format, "to", DataFormat.CURRENT);
            }
        }
        BackupBlobs blobs;
        try {
            blobs = BackupBlobs.open(data);
        } catch (IOException e) {
            persistence.close();
            key.close();
            throw new StartupException("cannot read the history backups in " + data.resolve(BackupBlobs.DIR) + ": "
                    + message(e));
        }
        FileBlobs files;
        try {
            files = FileBlobs.open(data, new java.security.SecureRandom());
        } catch (IOException e) {
            blobs.close();
            persistence.close();
            key.close();
            throw new StartupException("cannot read the file blobs in " + data.resolve(FileBlobs.DIR) + ": "
                    + message(e));
        }
        var server = new Server(options, persistence, key, blobs, files);
        try {
            server.startNetwork();
        } catch (StartupException | RuntimeException e) {
            server.close();
            throw e;
        }
        if (firstStart && options.registration() == RegistrationMode.INVITE) {
            server.firstInvite = server.createFirstInvite();
        }
        if (options.registration() == RegistrationMode.OPEN) {
            LOG.warn("registration_open", "addr", server.listenAddress(),
                    "risk", "anyone who reaches this address can create an account; --registration invite avoids it");
        }
        LOG.info("started", "addr", server.listenAddress(), "users", persistence.state().userCount(),
                "last_seq", persistence.state().lastSeq(), "replayed", persistence.replayed(),
                "registration", options.registration().label());
        return server;
    }

    /** The operator's invite on a new data directory: one use, the default expiry of {@code invite}. */
    private String createFirstInvite() throws StartupException {
        try {
            return core.admin().createInvite(AdminRequest.DEFAULT_INVITE_USES, AdminRequest.DEFAULT_INVITE_EXPIRY)
                    .get(DRAIN.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new StartupException("interrupted while creating the first invite");
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new StartupException("cannot create the first invite in " + options.dataDir() + ": "
                    + (e.getCause() == null ? "timed out" : e.getCause().getMessage()));
        }
    }

    /**
     * The invite code created on the very first start of an invite-only server (a new data
     * directory), for its operator to register the first account; null on later starts and in
     * other registration modes.
     */
    public String firstInvite() {
        return firstInvite;
    }

    private void startNetwork() throws StartupException {
        try {
            listener = Listener.start(options, key, core);
        } catch (BindException e) {
            throw new StartupException("cannot listen on " + options.listen() + ": " + message(e).toLowerCase());
        } catch (UnresolvedAddressException e) {
            throw new StartupException("cannot listen on " + options.listen() + ": unknown host");
        } catch (IOException e) {
            throw new StartupException("cannot listen on " + options.listen() + ": " + message(e));
        }
        try {
            admin = AdminServer.start(options.dataDir(), new AdminService(core.admin(), fingerprint, this::writeBackup,
                    inviteLinks()));
        } catch (IOException e) {
            throw new StartupException("cannot create the admin socket in " + options.dataDir() + ": " + message(e));
        }
        if (options.metrics() != null) {
            try {
                metrics = MetricsServer.start(options.metrics().toAddress(), this::metricsText, this::healthProblem);
            } catch (IOException | UnresolvedAddressException e) {
                throw new StartupException("cannot serve metrics on " + options.metrics() + ": "
                        + (e instanceof IOException io ? message(io) : "unknown host"));
            }
        }
    }

    /**
     * Creates the data directory (0700, missing parents too) or checks an existing one: it holds
     * the server key and the admin socket, so a directory that other users may list, enter or
     * write is refused with the {@code chmod} that fixes it, as is a key file open to them.
     */
    private static void prepareDataDir(Path data) throws StartupException {
        try {
            if (!Files.isDirectory(data)) {
                OwnerOnly.createDirectories(data);
            }
            String exposure = OwnerOnly.exposure(data);
            if (exposure == null && Files.exists(data.resolve(ServerKey.FILE))) {
                exposure = OwnerOnly.exposure(data.resolve(ServerKey.FILE));
            }
            if (exposure != null) {
                throw new StartupException(exposure);
            }
        } catch (IOException e) {
            throw new StartupException("cannot create the data directory " + data + ": " + message(e));
        } catch (UnsupportedOperationException e) {
            throw new StartupException("cannot create the data directory " + data + ": needs a POSIX file system");
        }
        if (!Files.isWritable(data)) {
            throw new StartupException("the data directory " + data + " is not writable");
        }
    }

    /** A short reason for an I/O failure, without repeating the path the caller already names. */
    static String message(IOException e) {
        return switch (e) {
            case AccessDeniedException x -> "permission denied";
            case java.nio.file.NoSuchFileException x -> "no such file or directory";
            case java.nio.file.FileAlreadyExistsException x -> "already exists";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason().toLowerCase();
            case java.nio.file.FileSystemException x -> x.getClass().getSimpleName();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /** The bound address (the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /** The listen address as configured, with the real port: what the "listening on" line shows. */
    public HostPort listenAddress() {
        return new HostPort(options.listen().host(), address().getPort());
    }

    /** Makes the invite links of this server: its advertised address, its listen address, its key. */
    public InviteLinks inviteLinks() {
        try {
            return new InviteLinks(options.advertise(), listenAddress(), Fingerprint.parse(fingerprint));
        } catch (crumbhub.crypto.CryptoException e) {
            throw new IllegalStateException("Fingerprint.of output did not parse", e);
        }
    }

    /** The metrics endpoint's bound address, or null. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.localAddress();
    }

    /** The metrics host as configured, or null. */
    public String metricsHost() {
        return options.metrics() == null ? null : options.metrics().host();
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Connections open now, handshakes included. */
    public int openConnections() {
        return listener.openConnections();
    }

    /** Connections refused at accept by a connection limit since start. */
    public long refusedConnections() {
        return listener.refusedConnections();
    }

    /**
     * For tests that move {@link ServerOptions#ticks()} by hand: returns once the network loops,
     * then the core, have run every timer due by now (a loop's timer may hand work to the core).
     */
    void runDueTimers() throws Exception {
        listener.dueTimersRun().get(DRAIN.toSeconds(), TimeUnit.SECONDS);
        core.dueTimersRun().get(DRAIN.toSeconds(), TimeUnit.SECONDS);
    }

    public byte[] publicKey() {
        return key.publicKey();
    }

    public AdminOps admin() {
        return core.admin();
    }

    /**
     * Completes once {@link #close()} has finished. A failing store does not stop the server: it
     * refuses new writes with {@code storage} and recovers by itself once the disk works again.
     */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** A backup is a new data directory holding a snapshot of the state and a copy of the server key. */
    private String writeBackup(Path dest, byte[] snapshot, java.util.function.Consumer<String> progress)
            throws IOException, StoreException, InterruptedException {
        return Backups.write(dest, snapshot, options.dataDir(), progress).toString();
    }

    private String metricsText() {
        var t = new PrometheusText();
        t.info("crumbhub_build_info", "The running crumbhub-server's version.", java.util.Map.of("version", Version.current()))
                .gauge("process_start_time_seconds", "Start time of the process since the Unix epoch.",
                        STARTED.toEpochMilli() / 1000.0);
        Counters c = core.counters();
        t.gauge("crumbhub_connections", "Open client connections, including those still in their handshake.",
                        c.openConnections())
                .counter("crumbhub_connections_accepted_total", "Client connections accepted.", c.connectionsOpened.sum())
                .counter("crumbhub_handshake_failures_total",
                        "Connections that closed before finishing the Noise handshake.", c.handshakeFailures.sum())
                .counter("crumbhub_login_failures_total", "LOGIN and RESUME attempts refused as bad credentials.",
                        c.loginFailures.sum())
                .counter("crumbhub_password_hashes_total",
                        "Password hashes made for REGISTER, for new accounts and taken names alike.", c.passwordHashes.sum())
                .counter("crumbhub_messages_received_total", "Messages accepted from clients and made durable.",
                        c.messagesReceived.sum())
                .counter("crumbhub_fanout_deliveries_total", "Copies of accepted messages queued for recipient devices.",
                        c.fanoutDeliveries.sum())
                .counter("crumbhub_messages_delivered_total", "Messages pushed to client connections.",
                        c.messagesDelivered.sum());
        try {
            AdminOps.Stats s = core.admin().stats().get(5, TimeUnit.SECONDS);
            t.gauge("crumbhub_core_responsive", "1 if the core thread answered within 5 s.", 1)
                    .gauge("crumbhub_sessions", "Authenticated connections.", s.sessions())
                    .gauge("crumbhub_users_online", "Users with at least one authenticated connection.", s.usersOnline())
                    .gauge("crumbhub_users", "Registered users.", s.users())
                    .gauge("crumbhub_messages_waiting", "Messages kept until every recipient device acknowledges them.",
                            s.messages())
                    .counter("crumbhub_messages_stored_total",
                            "Messages stored since the data directory was created (the last sequence number).", s.lastSeq())
                    .gauge("crumbhub_core_queue_tasks", "Tasks waiting for the core thread.", s.queued())
                    .gauge("crumbhub_storage_failing", "1 while the store fails: new writes are refused, reads go on.",
                            s.storeFailed() ? 1 : 0)
                    .gauge("crumbhub_messages_waiting_bytes",
                            "Bytes every waiting message counts against the quotas (body plus 256 each).",
                            s.waiting().bytes())
                    .gauge("crumbhub_mailbox_largest_messages", "Messages waiting in the fullest device mailbox.",
                            s.waiting().largestMailboxMessages())
                    .gauge("crumbhub_mailbox_largest_bytes", "Bytes waiting in the fullest device mailbox.",
                            s.waiting().largestMailboxBytes())
                    .gauge("crumbhub_outbound_bytes",
                            "Bytes queued for all authenticated connections, not yet taken by their sockets.",
                            s.outboundBytes())
                    .gauge("crumbhub_sender_largest_waiting_bytes",
                            "Bytes of the one account with the most messages waiting for their recipients.",
                            s.waiting().largestSenderBytes());
        } catch (Exception e) {
            t.gauge("crumbhub_core_responsive", "1 if the core thread answered within 5 s.", 0);
        }
        var q = options.quotas();
        t.counter("crumbhub_quota_refusals_total", "Requests refused because one of the account's quotas is used up.",
                        "quota", core.admin().quotaRefusals())
                .gauge("crumbhub_quota_mailbox_bytes", "The mailbox byte quota of one device.", q.mailboxBytes())
                .gauge("crumbhub_quota_sender_bytes", "The quota of bytes one account may have waiting.", q.senderBytes())
                .gauge("crumbhub_quota_server_bytes", "The quota of bytes all waiting messages may take.", q.serverBytes())
                .gauge("crumbhub_quota_backup_bytes", "The history backup quota of one account.", q.backupBytes())
                .gauge("crumbhub_backup_bytes", "Bytes of every account's history backup (sealed batches).",
                        blobs.totalBytes())
                .gauge("crumbhub_backup_batches", "Sealed history batches kept for every account.", blobs.totalBatches())
                .gauge("crumbhub_files", "File blobs kept, unfinished uploads included.", files.count())
                .gauge("crumbhub_files_bytes", "Bytes every file blob counts against the quotas (declared lengths).",
                        files.totalBytes())
                .counter("crumbhub_files_received_bytes_total", "File blob bytes stored from uploads.", files.receivedBytes())
                .counter("crumbhub_files_sent_bytes_total", "File blob bytes read for downloads.", files.sentBytes())
                .counter("crumbhub_files_finished_total", "File uploads finished (durable).", files.finishedUploads())
                .counter("crumbhub_files_expired_total", "File blobs deleted by expiry or as stale uploads.",
                        files.expiredBlobs())
                .gauge("crumbhub_quota_files_user_bytes", "The file quota of one account.", options.files().userBytes())
                .gauge("crumbhub_quota_files_server_bytes", "The file quota of the whole server.",
                        options.files().serverBytes())
                .gauge("crumbhub_disk_free_bytes", "Free bytes on the data directory's file system.",
                        core.freeDisk() == Long.MAX_VALUE ? Double.NaN : core.freeDisk())
                .gauge("crumbhub_disk_min_free_bytes", "The free-disk watermark: below it new messages are refused.",
                        options.minFreeDisk())
                .gauge("crumbhub_disk_low", "1 while free disk is below the watermark.", core.diskLow() ? 1 : 0)
                .gauge("crumbhub_heap_used_after_gc_bytes", "Heap still in use after the last garbage collection.",
                        memory.usedAfterGc())
                .gauge("crumbhub_heap_max_bytes", "The heap's maximum (-Xmx).", memory.max())
                .gauge("crumbhub_outbound_budget_bytes",
                        "Bytes all connections may hold queued before pushes to the fullest pause.",
                        options.maxOutboundTotalBytes())
                .gauge("crumbhub_memory_pressure", "1 while the heap live after collection is above 90% of its maximum.",
                        memory.underPressure() ? 1 : 0);
        if (listener != null) {
            t.counter("crumbhub_connections_refused_total", "Connections refused at accept by a connection limit.",
                    listener.refusedConnections());
        }
        StoreStats st = persistence.store().stats();
        var buckets = new java.util.ArrayList<PrometheusText.Bucket>();
        for (StoreStats.Histogram.Bucket b : st.fsyncNanos().buckets()) {
            buckets.add(new PrometheusText.Bucket(b.upperBound() == Long.MAX_VALUE ? Double.POSITIVE_INFINITY
                    : b.upperBound() / 1e9, b.cumulativeCount()));
        }
        t.gauge("crumbhub_store_size_bytes", "Bytes of store segments and snapshots on disk.", st.bytesOnDisk())
                .gauge("crumbhub_store_segments", "Store segment files.", st.segments())
                .counter("crumbhub_store_appends_total", "Records accepted by the store.", st.appends())
                .counter("crumbhub_store_append_failures_total", "Records that failed to become durable.", st.failed())
                .counter("crumbhub_store_snapshots_total", "Snapshots written.", st.snapshots())
                .histogram("crumbhub_store_fsync_duration_seconds", "Time to force the store's log to disk.", buckets,
                        st.fsyncNanos().sum() / 1e9, st.fsyncNanos().count());
        return t.toString();
    }

    /**
     * The one line {@code /health} answers with 503, or null for 200 {@code ok}: the core not
     * answering, the store failing, or {@code degraded} under disk or memory pressure, naming which.
     * Metrics thread.
     */
    private String healthProblem() {
        AdminOps.Stats s;
        try {
            s = core.admin().stats().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "core thread not responding";
        }
        if (s.storeFailed()) {
            return "storage failing: new messages are refused until the disk works again";
        }
        var degraded = new java.util.ArrayList<String>();
        if (core.diskLow()) {
            degraded.add("disk pressure: " + Quotas.size(core.freeDisk()) + " free, below the "
                    + Quotas.size(options.minFreeDisk()) + " watermark; new messages are refused");
        }
        String mem = memory.problem();
        if (mem != null) {
            degraded.add(mem.substring("degraded: ".length()));
        }
        return degraded.isEmpty() ? null : "degraded: " + String.join("; ", degraded);
    }

    /**
     * Stops accepting, finishes queued work, waits until every change is durable, closes the
     * connections and the store, in that order, each step bounded. Idempotent; blocks.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping");
        if (listener != null) {
            quietly(listener::stopAccepting, "stop_accepting");
        }
        if (admin != null) {
            quietly(admin::close, "admin_close");
        }
        if (metrics != null) {
            quietly(metrics::close, "metrics_close");
        }
        try {
            core.shutdown(DRAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listener != null) {
            quietly(listener::close, "listener_close");
        }
        try {
            files.close(DRAIN.toMillis());
            blobs.close(DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        quietly(persistence::close, "store_close");
        key.close();
        LOG.info("stopped");
        stopped.complete(null);
    }

    private static void quietly(Runnable step, String what) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("shutdown_step_failed", "step", what, "error", e.getMessage());
        }
    }
}
