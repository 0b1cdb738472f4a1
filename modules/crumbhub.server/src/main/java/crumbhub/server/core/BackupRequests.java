package crumbhub.server.core;

import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Quotas;
import crumbhub.server.store.BackupBlobs;
import crumbhub.wire.BackupFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.log.Log;
import java.util.ArrayList;

/**
 * The history backup requests (docs/protocol.md §9) on the core thread: they name the asking
 * device's own account only (a device never reads or writes another account's backup) and hand the
 * work to {@link BackupBlobs}, whose thread answers the client (a {@code Peer} takes frames from any
 * thread). The server keeps and serves the batches as opaque bytes; the clients check them.
 */
final class BackupRequests {
    private static final Log LOG = Log.get("crumbhub.server.core");

    private final Domain domain;
    private final Replies replies;
    private volatile BackupBlobs blobs;

    BackupRequests(Domain domain, Replies replies) {
        this.domain = domain;
        this.replies = replies;
    }

    /** Attaches the backup store (the server does, once it is open); until then requests get {@code storage}. */
    void attach(BackupBlobs store) {
        blobs = store;
    }

    void append(Session s, BackupFrame.BackupAppend x) {
        int id = x.requestId();
        if (replies.refuseGrowth(s, id)) {
            return;
        }
        BackupBlobs store = blobs;
        if (store == null) {
            s.peer().send(Errors.storage(id));
            return;
        }
        String user = s.device().userName();
        long quota = domain.quotas().backupBytes();
        boolean queued = store.append(user, s.device().id(), x.stream(), x.index(), x.blob(), quota, result ->
                s.peer().send(switch (result) {
                    case BackupBlobs.Appended.Stored _ -> new ControlFrame.Ok(id);
                    case BackupBlobs.Appended.WrongIndex w -> Errors.of(id, ErrorCode.WRONG_STATE,
                            "this stream's next batch is " + Long.toUnsignedString(w.next()));
                    case BackupBlobs.Appended.Taken _ -> Errors.of(id, ErrorCode.EXISTS,
                            "this stream already holds another batch at that index; batches are never replaced");
                    case BackupBlobs.Appended.OverQuota q -> {
                        domain.countQuotaRefusal(Quotas.Kind.BACKUP_BYTES);
                        LOG.info("backup_quota", "user", user, "used", q.used());
                        yield Errors.of(id, ErrorCode.QUOTA, "your account's history backup is full ("
                                + Quotas.size(q.used()) + " of " + Quotas.size(quota) + "); delete it with"
                                + " crumbhub-client backup delete, or ask the operator for a larger quota.backup.bytes");
                    }
                    case BackupBlobs.Appended.Failed _ -> Errors.storage(id);
                }));
        if (!queued) {
            s.peer().send(Errors.busy(id));
        }
    }

    void list(Session s, BackupFrame.BackupList x) {
        int id = x.requestId();
        BackupBlobs store = blobs;
        if (store == null) {
            s.peer().send(Errors.storage(id));
            return;
        }
        long quota = domain.quotas().backupBytes();
        if (!store.list(s.device().userName(), listing -> {
            var streams = new ArrayList<BackupFrame.Stream>();
            for (var st : listing.streams()) {
                streams.add(new BackupFrame.Stream(st.deviceId(), st.stream(), st.batches(), st.bytes()));
            }
            s.peer().send(BackupFrame.BackupListReply.fitting(id, listing.usedBytes(), quota, streams));
        })) {
            s.peer().send(Errors.busy(id));
        }
    }

    void fetch(Session s, BackupFrame.BackupFetch x) {
        int id = x.requestId();
        BackupBlobs store = blobs;
        if (store == null) {
            s.peer().send(Errors.storage(id));
            return;
        }
        if (!store.fetch(s.device().userName(), x.deviceId(), x.stream(), x.from(), fetched -> {
            if (!fetched.found()) {
                s.peer().send(Errors.of(id, ErrorCode.NOT_FOUND, "no such backup stream, or no batch there"));
                return;
            }
            var list = new ArrayList<BackupFrame.Blob>(fetched.blobs().size());
            for (byte[] b : fetched.blobs()) {
                list.add(new BackupFrame.Blob(b));
            }
            s.peer().send(BackupFrame.BackupBatches.fitting(id, x.deviceId(), x.stream(), x.from(), list,
                    fetched.more()));
        })) {
            s.peer().send(Errors.busy(id));
        }
    }

    void delete(Session s, BackupFrame.BackupDelete x) {
        int id = x.requestId();
        BackupBlobs store = blobs;
        if (store == null) {
            s.peer().send(Errors.storage(id));
            return;
        }
        String user = s.device().userName();
        if (!store.delete(user, failure -> {
            if (failure == null) {
                LOG.info("backup_deleted", "user", user);
                s.peer().send(new ControlFrame.Ok(id));
            } else {
                s.peer().send(Errors.storage(id));
            }
        })) {
            s.peer().send(Errors.busy(id));
        }
    }
}
