package crumbhub.server.core;

import crumbhub.server.config.FileLimits;
import crumbhub.server.store.FileBlobs;
import crumbhub.server.store.FileBlobs.Outcome;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.FileFrame;
import crumbhub.wire.Limits;
import crumbhub.wire.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The file blob requests (docs/protocol.md §10) on the core thread: each is checked, handed to
 * {@link FileBlobs}, whose thread answers the client (a {@code Peer} takes frames from any
 * thread), so a large upload or download never holds the core or a loop on disk I/O. A connection
 * may have at most {@link #IN_FLIGHT} appends and reads waiting for the file thread: beyond that,
 * or when the file thread's queue is full, a request is answered {@code throttled} and the client
 * waits and resumes (back-pressure). Chat frames on the same connection never wait behind a chunk.
 */
final class FileRequests {
    /** Appends and reads one connection may have queued for the file thread: 16 chunks, about 1 MB. */
    static final int IN_FLIGHT = 16;
    /** How often expired blobs and stale uploads are deleted. */
    static final Duration SWEEP = Duration.ofMinutes(10);
    private static final Log LOG = Log.get("crumbhub.server.core");

    private final Replies replies;
    private final FileLimits limits;
    private final Clock clock;
    private final Map<Session, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private volatile FileBlobs blobs;

    FileRequests(Replies replies, FileLimits limits, Clock clock) {
        this.replies = replies;
        this.limits = limits;
        this.clock = clock;
    }

    /** Attaches the store (the server does, once it is open); until then requests get {@code storage}. */
    void attach(FileBlobs store) {
        blobs = store;
    }

    /** Runs the expiry sweep on the file thread (the core's timer calls it every {@link #SWEEP}). */
    void sweep() {
        FileBlobs store = blobs;
        if (store != null && !store.sweep(clock.millis(), limits, n -> { })) {
            LOG.warn("file_sweep_skipped", "reason", "file thread busy");
        }
    }

    void handle(Session s, FileFrame f) {
        int id = f.requestId();
        FileBlobs store = blobs;
        if (store == null) {
            s.peer().send(Errors.storage(id));
            return;
        }
        String user = s.device().userName();
        boolean queued = switch (f) {
            case FileFrame.FileBegin x -> {
                if (replies.refuseGrowth(s, id)) {
                    yield true;
                }
                yield store.begin(user, x.length(), limits, clock.millis(), began -> s.peer().send(began(id, user, x.length(), began)));
            }
            case FileFrame.FileAppend x -> {
                if (replies.refuseGrowth(s, id)) {
                    yield true;
                }
                if (!enter(s)) {
                    yield false;
                }
                boolean q = store.append(user, x.file(), x.offset(), x.data(), outcome -> {
                    leave(s);
                    s.peer().send(outcome instanceof Outcome.Status ? new ControlFrame.Ok(id) : refusal(id, outcome));
                });
                if (!q) {
                    leave(s);
                }
                yield q;
            }
            case FileFrame.FileQuery x -> store.query(user, x.file(), outcome -> s.peer().send(reply(id, outcome)));
            case FileFrame.FileFinish x -> store.finish(user, x.file(), outcome -> {
                if (outcome instanceof Outcome.Status st) {
                    LOG.info("file_stored", "user", user, "bytes", st.length());
                }
                s.peer().send(reply(id, outcome));
            });
            case FileFrame.FileRead x -> {
                if (!enter(s)) {
                    yield false;
                }
                boolean q = store.read(x.file(), x.offset(), Math.min(x.length(), Limits.FILE_CHUNK), read -> {
                    leave(s);
                    s.peer().send(read.found()
                            ? new FileFrame.FileData(id, x.file(), x.offset(), read.length(), read.bytes())
                            : Errors.of(id, ErrorCode.NOT_FOUND, "no finished file with that id here (it may have expired)"));
                });
                if (!q) {
                    leave(s);
                }
                yield q;
            }
            case FileFrame.FileStatus _, FileFrame.FileData _ -> {
                s.peer().send(Errors.of(id, ErrorCode.UNSUPPORTED, f.typeName() + " is not a request"));
                yield true;
            }
        };
        if (!queued) {
            s.peer().send(Errors.busy(id));
        }
    }

    private boolean enter(Session s) {
        var n = inFlight.computeIfAbsent(s, k -> new AtomicInteger());
        if (n.incrementAndGet() > IN_FLIGHT) {
            leave(s);
            return false;
        }
        return true;
    }

    private void leave(Session s) {
        inFlight.computeIfPresent(s, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private static crumbhub.wire.Frame began(int id, String user, long length, FileBlobs.Began began) {
        return switch (began) {
            case FileBlobs.Began.Started st -> new FileFrame.FileStatus(id, st.id(), length, 0, false);
            case FileBlobs.Began.TooLarge t -> Errors.of(id, ErrorCode.TOO_LARGE,
                    "files on this server are at most " + crumbhub.server.domain.Quotas.size(t.max())
                            + " sealed (limits.files.max.bytes)");
            case FileBlobs.Began.OverUserQuota q -> {
                LOG.info("file_quota", "user", user, "used", q.used());
                yield Errors.of(id, ErrorCode.QUOTA, "your files on this server would exceed your quota ("
                        + crumbhub.server.domain.Quotas.size(q.used()) + " of "
                        + crumbhub.server.domain.Quotas.size(q.quota())
                        + " used; quota.files.user.bytes); they expire, or ask the operator for more");
            }
            case FileBlobs.Began.OverServerQuota q -> Errors.of(id, ErrorCode.QUOTA,
                    "the server's file space is full (quota.files.server.bytes); try again later");
            case FileBlobs.Began.Failed _ -> Errors.storage(id);
        };
    }

    private static crumbhub.wire.Frame reply(int id, Outcome outcome) {
        return outcome instanceof Outcome.Status st
                ? new FileFrame.FileStatus(id, st.id(), st.length(), st.stored(), st.finished())
                : refusal(id, outcome);
    }

    private static crumbhub.wire.Frame refusal(int id, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Status st -> new FileFrame.FileStatus(id, st.id(), st.length(), st.stored(), st.finished());
            case Outcome.NotFound _ -> Errors.of(id, ErrorCode.NOT_FOUND, "no upload of yours with that id (it may have expired)");
            case Outcome.WrongOffset w -> Errors.of(id, ErrorCode.WRONG_STATE, "this upload holds " + w.stored()
                    + " of " + w.length() + " bytes; send from there");
            case Outcome.Incomplete i -> Errors.of(id, ErrorCode.WRONG_STATE, "this upload holds " + i.stored()
                    + " of " + i.length() + " bytes; it cannot finish yet");
            case Outcome.Failed _ -> Errors.storage(id);
        };
    }
}
