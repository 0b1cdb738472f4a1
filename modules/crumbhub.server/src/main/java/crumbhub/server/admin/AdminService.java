package crumbhub.server.admin;

import crumbhub.server.config.ConfigException;
import crumbhub.server.core.AdminOps;
import crumbhub.server.domain.Rejected;
import crumbhub.wire.log.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs admin request lines against the core. Called on the admin thread, which may block
 * (bounded by {@link #TIMEOUT}); the core thread never waits for it.
 */
public final class AdminService implements AdminServer.Handler {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Log LOG = Log.get("crumbhub.server.admin");

    /**
     * Writes a backup: a new data directory at {@code dest} holding {@code snapshot}, reporting
     * steps to {@code progress}; returns a one-line summary of what it holds. Blocking.
     */
    public interface BackupWriter {
        String write(Path dest, byte[] snapshot, Consumer<String> progress) throws Exception;
    }

    private final AdminOps ops;
    private final String fingerprint;
    private final BackupWriter backup;
    private final InviteLinks links;

    public AdminService(AdminOps ops, String fingerprint, BackupWriter backup, InviteLinks links) {
        this.ops = ops;
        this.fingerprint = fingerprint;
        this.backup = backup;
        this.links = links;
    }

    @Override
    public AdminResponse handle(String line, Consumer<String> progress) {
        AdminRequest request;
        try {
            request = AdminRequest.parseLine(line);
        } catch (ConfigException e) {
            return AdminResponse.error(e.getMessage());
        }
        LOG.info("admin_request", "command", line.split(" ", 2)[0]);
        try {
            return switch (request) {
                case AdminRequest.CreateInvite r -> invite(r, progress);
                case AdminRequest.ListUsers r -> AdminResponse.ok(await(ops.users()));
                case AdminRequest.Ban r -> AdminResponse.ok(List.of(await(ops.setBanned(r.user(), true))));
                case AdminRequest.Unban r -> AdminResponse.ok(List.of(await(ops.setBanned(r.user(), false))));
                case AdminRequest.ListDevices r -> AdminResponse.ok(await(ops.devices(r.user())));
                case AdminRequest.RevokeDevice r -> AdminResponse.ok(List.of(await(ops.revoke(r.user(), r.deviceId()))));
                case AdminRequest.ShowFingerprint r -> AdminResponse.ok(List.of(fingerprint));
                case AdminRequest.Backup r -> backup(r.dest(), progress);
            };
        } catch (Rejected e) {
            return AdminResponse.error(e.getMessage());
        } catch (TimeoutException e) {
            return AdminResponse.error("the server did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdminResponse.error("interrupted");
        } catch (RuntimeException | ExecutionException e) {
            LOG.error(e, "admin_failed");
            return AdminResponse.error("failed: " + e.getMessage());
        }
    }

    /**
     * The code on the first line, its link on the second; without an address for the link, the
     * code alone and a progress line (stderr of {@code crumbhub-server invite}) saying how to name one.
     * A bad {@code --address} is refused before any code is made.
     */
    private AdminResponse invite(AdminRequest.CreateInvite r, Consumer<String> progress)
            throws Rejected, TimeoutException, InterruptedException, ExecutionException {
        crumbhub.server.config.HostPort at;
        try {
            at = links.target(r.address());
        } catch (IllegalArgumentException e) {
            return AdminResponse.error(e.getMessage());
        }
        String code = await(ops.createInvite(r.uses(), r.expires()));
        if (at == null) {
            progress.accept(links.missing());
            return AdminResponse.ok(List.of(code));
        }
        return AdminResponse.ok(List.of(code, links.link(code, at)));
    }

    private AdminResponse backup(Path dest, Consumer<String> progress)
            throws Rejected, TimeoutException, InterruptedException, ExecutionException {
        if (!dest.isAbsolute()) {
            return AdminResponse.error("backup needs an absolute path (the server's working directory may differ)");
        }
        long t0 = System.nanoTime();
        progress.accept("waiting until every change so far is durable, then encoding the state");
        byte[] snapshot = await(ops.snapshot());
        String summary;
        try {
            summary = backup.write(dest, snapshot, progress);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return AdminResponse.error("backup to " + dest + " failed: " + e.getMessage());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("backup_written", "dest", dest, "bytes", snapshot.length, "millis", ms);
        return AdminResponse.ok(List.of("backup written to " + dest + " in " + ms + " ms: " + summary,
                "restore it with: crumbhub-server --data DIR restore " + dest));
    }

    private static <T> T await(CompletableFuture<T> f)
            throws Rejected, TimeoutException, InterruptedException, ExecutionException {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Rejected r) {
                throw r;
            }
            throw e;
        }
    }
}
