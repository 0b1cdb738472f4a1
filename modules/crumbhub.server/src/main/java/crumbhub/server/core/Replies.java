package crumbhub.server.core;

import crumbhub.server.config.LimitOptions;
import crumbhub.server.domain.Rejected;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;

/**
 * The answers every request handler shares: the refusal of a write while the store fails or lags,
 * OK once a change is durable, a domain change answered either way. Core thread.
 */
final class Replies {
    private final Journal journal;
    private final LimitOptions limits;
    private final DiskWatch disk;

    Replies(Journal journal, LimitOptions limits, DiskWatch disk) {
        this.journal = journal;
        this.limits = limits;
        this.disk = disk;
    }

    /** A domain change; {@link Rejected} carries the refusal the client gets. */
    interface Change {
        void run() throws Rejected;
    }

    /** Runs a domain change and answers OK once it is durable, or the refusal at once. */
    void change(Session s, int id, Change c) {
        if (!refuseWrite(s, id)) {
            run(s, id, c);
        }
    }

    /**
     * As {@link #change}, for a change that makes the store grow for good (a room, an invitation):
     * refused with {@code storage} below the free-disk watermark too ({@link DiskWatch}).
     */
    void growth(Session s, int id, Change c) {
        if (!refuseGrowth(s, id)) {
            run(s, id, c);
        }
    }

    private void run(Session s, int id, Change c) {
        try {
            c.run();
        } catch (Rejected r) {
            s.peer().send(Errors.of(id, r));
            return;
        }
        okWhenDurable(s, id);
    }

    void okWhenDurable(Session s, int id) {
        journal.afterDurable(() -> s.peer().send(new ControlFrame.Ok(id)), () -> s.peer().send(Errors.storage(id)));
    }

    /** Refuses a write while the store is failing or saturated; true if refused. */
    boolean refuseWrite(Session s, int id) {
        Frame refusal = writeRefusal(id);
        if (refusal != null) {
            s.peer().send(refusal);
            return true;
        }
        return false;
    }

    /**
     * Refuses a write that makes the store grow for good (a message, a room, an invitation) while
     * the store fails or lags, or while the disk is below its watermark; true if refused. Acks,
     * leaves and logins stay allowed under the watermark: they free space or are needed to read.
     */
    boolean refuseGrowth(Session s, int id) {
        if (refuseWrite(s, id)) {
            return true;
        }
        String why = disk.refusal();
        if (why != null) {
            s.peer().send(Errors.of(id, ErrorCode.STORAGE, why));
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

    /** Whether a message body is over this server's limit. */
    boolean tooLarge(byte[] body) {
        return body.length > limits.maxBodyBytes();
    }

    Frame tooLarge(int id) {
        return Errors.of(id, ErrorCode.TOO_LARGE, "a message may be at most " + limits.maxBodyBytes()
                + " bytes on this server");
    }

    static void wrongState(Session s, int id) {
        s.peer().send(Errors.of(id, ErrorCode.WRONG_STATE, "already logged in on this connection"));
    }
}
