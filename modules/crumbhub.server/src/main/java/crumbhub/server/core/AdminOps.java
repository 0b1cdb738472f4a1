package crumbhub.server.core;

import crumbhub.server.domain.Device;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.Rejected;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.domain.State;
import crumbhub.server.domain.User;
import crumbhub.wire.SafeText;
import crumbhub.wire.log.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin socket may do, each run on the core thread. Every method returns at once with
 * a future that completes (for changes: once they are durable) with result lines, or
 * exceptionally with {@link Rejected} or {@link IllegalStateException} (storage failure).
 */
public final class AdminOps {
    private static final Log LOG = Log.get("crumbhub.server.admin");

    private final ServerCore server;

    AdminOps(ServerCore server) {
        this.server = server;
    }

    /** A new invite code. */
    public CompletableFuture<String> createInvite(int uses, Duration expires) {
        var out = new CompletableFuture<String>();
        server.executor().execute(() -> {
            try {
                String code = server.domain().createInvite(uses, expires);
                LOG.info("invite_created", "uses", uses, "expires_s", expires.toSeconds());
                whenDurable(out, code);
            } catch (Rejected r) {
                out.completeExceptionally(r);
            }
        });
        return out;
    }

    /** One line per user: name, status, active device count, creation time. */
    public CompletableFuture<List<String>> users() {
        return read(() -> {
            var lines = new ArrayList<String>();
            for (User u : server.domain().state().users()) {
                lines.add(u.name() + "\t" + (u.banned() ? "banned" : "active") + "\tdevices=" + u.activeDevices().size()
                        + "\tcreated=" + Instant.ofEpochMilli(u.createdMs()));
            }
            return lines;
        });
    }

    /** One line per device of the user, revoked ones included. */
    public CompletableFuture<List<String>> devices(String user) {
        return read(() -> {
            User u = requireUser(user);
            var lines = new ArrayList<String>();
            for (Device d : u.allDevices()) {
                int online = server.delivery().sessionsOf(d).size();
                lines.add(d.id() + "\t" + (d.revoked() ? "revoked" : "active") + "\t" + SafeText.escape(d.name())
                        + "\tcreated=" + Instant.ofEpochMilli(d.createdMs())
                        + "\tlast_seen=" + Instant.ofEpochMilli(d.lastSeenMs()) + "\tconnections=" + online);
            }
            return lines;
        });
    }

    /** Bans (closing every connection of the user) or unbans. */
    public CompletableFuture<String> setBanned(String user, boolean banned) {
        var out = new CompletableFuture<String>();
        server.executor().execute(() -> {
            try {
                User u = server.domain().setBanned(user, banned);
                LOG.info(banned ? "user_banned" : "user_unbanned", "user", u.name());
                server.journal().afterDurable(() -> {
                    if (banned) {
                        for (Device d : u.allDevices()) {
                            server.closeSessions(d, "banned");
                        }
                    }
                    out.complete(u.name() + (banned ? " is banned" : " is no longer banned"));
                }, () -> out.completeExceptionally(new IllegalStateException("the store failed")));
            } catch (Rejected r) {
                out.completeExceptionally(r);
            }
        });
        return out;
    }

    /** Revokes one device and closes its connections. */
    public CompletableFuture<String> revoke(String user, int deviceId) {
        var out = new CompletableFuture<String>();
        server.executor().execute(() -> {
            try {
                User u = requireUser(user);
                server.domain().revokeDevice(u, deviceId);
                Device d = u.device(deviceId);
                LOG.info("device_revoked", "user", u.name(), "device", deviceId, "by", "admin");
                server.journal().afterDurable(() -> {
                    server.closeSessions(d, "device_revoked");
                    out.complete("revoked device " + deviceId + " of " + u.name());
                }, () -> out.completeExceptionally(new IllegalStateException("the store failed")));
            } catch (Rejected r) {
                out.completeExceptionally(r);
            }
        });
        return out;
    }

    /**
     * The encoded state once every change made so far is durable, for a backup. The encoding
     * runs on the core thread; the caller writes it elsewhere.
     */
    public CompletableFuture<byte[]> snapshot() {
        var out = new CompletableFuture<byte[]>();
        server.executor().execute(() -> server.journal().afterDurable(
                () -> out.complete(SnapshotCodec.encode(server.domain().state())),
                () -> out.completeExceptionally(new IllegalStateException("the store failed"))));
        return out;
    }

    /** Counters for metrics and health. */
    public record Stats(int users, int usersOnline, int messages, int sessions, long lastSeq, boolean storeFailed,
                        int queued, Waiting waiting, long outboundBytes) {}

    /**
     * What waits for devices (docs/server.md "Quotas"): the bytes of every waiting message, and the
     * fullest mailbox and sender, to compare with their quotas.
     */
    public record Waiting(long bytes, int largestMailboxMessages, long largestMailboxBytes, long largestSenderBytes) {}

    /** Requests refused by each quota since start, in {@link Quotas.Kind} order. Any thread. */
    public java.util.Map<String, Long> quotaRefusals() {
        var out = new java.util.LinkedHashMap<String, Long>();
        for (Quotas.Kind k : Quotas.Kind.values()) {
            out.put(k.label(), server.domain().quotaRefusals(k));
        }
        return out;
    }

    public CompletableFuture<Stats> stats() {
        var out = new CompletableFuture<Stats>();
        server.executor().execute(() -> {
            var online = new java.util.HashSet<String>();
            for (Device d : server.delivery().devices()) {
                online.add(d.userName());
            }
            out.complete(new Stats(server.domain().state().userCount(), online.size(),
                    server.domain().state().messageCount(), server.delivery().sessionCount(),
                    server.domain().state().lastSeq(), server.journal().failing(), server.executor().queued(),
                    waiting(server.domain().state()), server.delivery().outboundNow()));
        });
        return out;
    }

    /** One pass over every user and device: scrapes come every few seconds, not per request. */
    private static Waiting waiting(State state) {
        int mailboxMessages = 0;
        long mailboxBytes = 0;
        long sender = 0;
        for (User u : state.users()) {
            sender = Math.max(sender, u.waitingBytes());
            for (Device d : u.allDevices()) {
                mailboxMessages = Math.max(mailboxMessages, d.mailbox().size());
                mailboxBytes = Math.max(mailboxBytes, d.mailbox().bytes());
            }
        }
        return new Waiting(state.waitingBytes(), mailboxMessages, mailboxBytes, sender);
    }

    private <T> void whenDurable(CompletableFuture<T> out, T value) {
        server.journal().afterDurable(() -> out.complete(value),
                () -> out.completeExceptionally(new IllegalStateException("the store failed")));
    }

    private User requireUser(String name) throws Rejected {
        User u = server.domain().lookupUser(name);
        if (u == null) {
            throw new Rejected(crumbhub.server.domain.Reason.NOT_FOUND, "no such user: " + name);
        }
        return u;
    }

    interface Read<T> {
        T get() throws Rejected;
    }

    private <T> CompletableFuture<T> read(Read<T> r) {
        var out = new CompletableFuture<T>();
        server.executor().execute(() -> {
            try {
                out.complete(r.get());
            } catch (Rejected e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }
}
