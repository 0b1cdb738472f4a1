package crumbhub.server.core;

import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Kind;
import crumbhub.server.domain.Message;
import crumbhub.server.domain.MessageQueue;
import crumbhub.wire.EncodedFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.Cancellable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pushes stored messages to connections (protocol §4), on the core thread. Every session of a
 * device receives that device's messages in increasing seq order: a SYNC replays the
 * device's mailbox after its cursor up to the last released seq, then the session goes live and
 * gets each message as soon as it is released. A message is released (may be pushed) as soon as
 * it is appended if the durable seq lease covers it and no earlier message still waits; otherwise
 * once its record is durable (server.md §5). A session whose outbound buffer is over its
 * bound stops getting live pushes and is caught up from the mailbox once it has drained,
 * which keeps the order and never grows memory for a slow client.
 */
final class Delivery {
    /** Messages pushed in one catch-up step before yielding the core thread to other work. */
    static final int PUMP_BATCH = 256;
    /** How often congested sessions are re-checked for room. */
    static final Duration RECHECK = Duration.ofMillis(20);

    /**
     * Encoded DELIVERs kept for catch-up, by seq modulo this (a power of two): sessions that fell
     * behind (a congested connection holds up to its 1 MiB outbound bound, a few thousand small
     * messages) or sync at once mostly replay the same recent messages, which are then encoded
     * once, not once per session. Only messages some session is behind on are kept
     * ({@link #release}).
     */
    static final int RECENT_FRAMES = 4096;
    /** Larger DELIVERs are not kept, which bounds the cache to 8 MiB (under 1 MiB for chat-sized messages). */
    static final int CACHED_FRAME_BYTES = 2048;

    private final CoreExecutor core;
    private final EncodedFrame[] recent = new EncodedFrame[RECENT_FRAMES];
    private final long[] recentSeq = new long[RECENT_FRAMES];
    private final Map<Device, List<Session>> byDevice = new HashMap<>();
    private final Set<Session> congested = new LinkedHashSet<>();
    /** A connection holding this little is never held back by the budget: every session keeps moving. */
    static final int OUTBOUND_FLOOR = 16 * 1024;
    /** How often {@link #sampleOutbound} sums the sessions' buffers at most. */
    static final long SAMPLE_NANOS = 5_000_000;
    private final long outboundBudget;
    private boolean overBudget;
    private long lastSample = Long.MIN_VALUE / 2;
    private long outboundTotal;
    private Cancellable recheck;
    /**
     * Highest seq released for pushing; nothing above it is ever pushed. Messages are released in
     * seq order. After a rollback it may name a lost seq, below every seq handed out afterwards.
     */
    private long releasedSeq;
    /**
     * Stored messages not yet released, in seq order: the head waits for durability (the lease did
     * not cover it); those behind it are released as soon as everything ahead of them is, at once
     * if the lease covers them, else once durable. Empty in steady state.
     */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    private static final class Waiting {
        final List<Domain.Stored> parts;
        boolean ready;

        Waiting(List<Domain.Stored> parts, boolean ready) {
            this.parts = parts;
            this.ready = ready;
        }
    }

    private final Journal journal;
    private final SeqLeases leases;
    private final Counters counters;

    Delivery(CoreExecutor core, Journal journal, SeqLeases leases, long releasedSeq, Counters counters,
             long outboundBudget) {
        this.outboundBudget = outboundBudget;
        this.core = core;
        this.journal = journal;
        this.leases = leases;
        this.releasedSeq = releasedSeq;
        this.counters = counters;
    }

    /** The highest seq released for pushing (a device may acknowledge up to it). */
    long releasedSeq() {
        return releasedSeq;
    }

    /**
     * Messages just stored (applied and appended, not yet durable), in seq order, {@code lastSeq}
     * the highest of them. They are pushed now if the durable lease covers {@code lastSeq} and no
     * earlier message waits; behind a waiting message, right after it if the lease covers them;
     * else once durable. Either way {@code then} runs once they are durable and {@code orElse} if
     * their record failed (then messages not yet pushed never are).
     */
    void stored(List<Domain.Stored> parts, long lastSeq, Runnable then, Runnable orElse) {
        boolean covered = lastSeq <= leases.durable();
        if (waiting.isEmpty() && covered) {
            release(parts);
            journal.afterDurable(then, orElse);
            return;
        }
        var w = new Waiting(parts, covered);
        waiting.add(w);
        journal.afterDurable(() -> {
            then.run();
            w.ready = true;
            releaseReady();
        }, () -> {
            // this record or an earlier one failed, so did every later one: nothing waiting is pushed
            waiting.clear();
            orElse.run();
        });
    }

    /** Releases waiting messages from the head on, while they are ready. */
    private void releaseReady() {
        while (!waiting.isEmpty() && waiting.peek().ready) {
            release(waiting.poll().parts);
        }
    }

    private void release(List<Domain.Stored> parts) {
        for (int i = 0, n = parts.size(); i < n; i++) {
            release(parts.get(i).message(), parts.get(i).recipients());
        }
    }

    /**
     * Answers a SEND or SEND_DEVICES on {@code s} whose domain result is {@code result}: renews
     * the seq lease if seqs were handed out, pushes what was stored ({@link #stored}), and sends
     * {@code SEND_OK} once durable, or {@code storage} if the record failed. Core thread.
     */
    void answerSend(Session s, int id, Domain.SendResult result) {
        var ok = new MessageFrame.SendOk(id, result.seq(), result.tsMs());
        Runnable failed = () -> s.peer().send(Errors.storage(id));
        switch (result) {
            case Domain.Duplicate d -> journal.afterDurable(() -> s.peer().send(ok), failed);
            case Domain.StoredEach each when each.parts().isEmpty() -> journal.afterDurable(() -> {
                s.peer().send(ok);
                counters.messagesReceived.increment();
            }, failed);
            case Domain.Stored st -> answerStored(s, ok, List.of(st), st.seq(), failed);
            case Domain.StoredEach each -> answerStored(s, ok, each.parts(), each.seq(), failed);
        }
    }

    /** Seqs were handed out: renew the lease, push {@code parts}, and acknowledge once durable. */
    private void answerStored(Session s, MessageFrame.SendOk ok, List<Domain.Stored> parts, long lastSeq, Runnable failed) {
        leases.afterStore();
        stored(parts, lastSeq, () -> {
            s.peer().send(ok);
            counters.messagesReceived.increment();
            for (int i = 0, n = parts.size(); i < n; i++) {
                counters.fanoutDeliveries.add(parts.get(i).recipients().size());
            }
        }, failed);
    }

    void attach(Session s) {
        byDevice.computeIfAbsent(s.device(), d -> new ArrayList<>(2)).add(s);
    }

    void detach(Session s) {
        congested.remove(s);
        if (s.device() != null) {
            List<Session> list = byDevice.get(s.device());
            if (list != null) {
                list.remove(s);
                if (list.isEmpty()) {
                    byDevice.remove(s.device());
                }
            }
        }
        s.stopFeed();
    }

    /**
     * Moves every session to the device {@code map} gives for its old one (after the state was
     * rolled back to restored objects). Sessions mapped to null are detached and returned, for
     * the caller to close. Feeds and positions stay as they are.
     */
    List<Session> rebind(java.util.function.Function<Device, Device> map) {
        var orphans = new ArrayList<Session>();
        var old = new ArrayList<>(byDevice.entrySet());
        byDevice.clear();
        for (Map.Entry<Device, List<Session>> e : old) {
            Device now = map.apply(e.getKey());
            for (Session s : e.getValue()) {
                if (now == null) {
                    congested.remove(s);
                    s.stopFeed();
                    orphans.add(s);
                } else {
                    s.rebind(now);
                    byDevice.computeIfAbsent(now, d -> new ArrayList<>(2)).add(s);
                }
            }
        }
        return orphans;
    }

    /** Devices with at least one session, a copy. */
    List<Device> devices() {
        return List.copyOf(byDevice.keySet());
    }

    /** Sessions of a device, a copy (closing them changes the registry). */
    List<Session> sessionsOf(Device d) {
        List<Session> list = byDevice.get(d);
        return list == null ? List.of() : List.copyOf(list);
    }

    int sessionCount() {
        int n = 0;
        for (List<Session> l : byDevice.values()) {
            n += l.size();
        }
        return n;
    }

    /** Starts answering a SYNC: replay from the device's cursor, then SYNC_DONE, then live. */
    void sync(Session s, int requestId) {
        s.startSync(requestId);
        pump(s);
    }

    /**
     * A message is released: push it to every live session of its recipients. Its encoding is
     * kept for catch-up only if a recipient session will need it later (it is catching up, or
     * was parked just now): in the steady state every recipient takes the push at once and
     * nothing is kept, so the message dies young instead of being copied by the young
     * collections that come while the cache holds it (4,096 messages are 0.4 s at 10,000 a
     * second, longer than the interval between collections).
     */
    private void release(Message m, List<Device> recipients) {
        releasedSeq = Math.max(releasedSeq, m.seq());
        sampleOutbound(false);
        EncodedFrame frame = null;
        boolean behind = false;
        int pushed = 0;
        for (int i = 0, n = recipients.size(); i < n; i++) {
            List<Session> list = byDevice.get(recipients.get(i));
            if (list == null) {
                continue;
            }
            for (int j = 0, k = list.size(); j < k; j++) {
                Session s = list.get(j);
                if (m.seq() <= s.sentSeq()) {
                    continue;
                }
                if (s.feed() != Session.Feed.LIVE) {
                    behind = true;
                } else if (congested(s)) {
                    s.fellBehind();
                    park(s);
                    behind = true;
                } else {
                    if (frame == null) {
                        frame = encode(m);
                    }
                    if (push(s, m, frame, false)) {
                        pushed++;
                    } else {
                        behind = true;
                    }
                }
            }
        }
        if (behind && frame != null) {
            keep(m, frame);
        }
        counters.messagesDelivered.add(pushed); // once per message: a fan-out is the hot path
    }

    private void pump(Session s) {
        s.pumpQueued(false);
        if (s.feed() != Session.Feed.CATCHING_UP || !s.isReady()) {
            return;
        }
        MessageQueue box = s.device().mailbox();
        int i = box.indexAfter(s.sentSeq());
        sampleOutbound(false);
        int pushed = 0;
        while (i < box.size() && box.get(i).seq() <= releasedSeq) {
            if (congested(s)) {
                park(s);
                return;
            }
            if (pushed == PUMP_BATCH) {
                s.pumpQueued(true);
                core.execute(() -> pump(s));
                return;
            }
            Message m = box.get(i);
            if (!push(s, m, cached(m), true)) {
                return;
            }
            counters.messagesDelivered.increment();
            pushed++;
            i++;
        }
        MessageFrame.SyncDone done = s.caughtUp();
        if (done != null) {
            s.peer().send(done);
        }
    }

    /**
     * The DELIVER of a message, encoded once for all its recipients (it carries request id 0 and
     * nothing that differs between them).
     */
    private static EncodedFrame encode(Message m) {
        var kind = m.kind() == Kind.ROOM ? TargetKind.ROOM : TargetKind.DIRECT;
        return EncodedFrame.of(new MessageFrame.Deliver(0, kind, m.target(), m.sender(), m.senderDevice(), m.seq(),
                m.tsMs(), MessageId.fromBytes(m.messageIdBytes()), m.alg(), m.body()));
    }

    /** Keeps a small DELIVER for the catch-ups of other sessions. */
    private void keep(Message m, EncodedFrame frame) {
        if (frame.length() <= CACHED_FRAME_BYTES) {
            recent[slot(m.seq())] = frame;
            recentSeq[slot(m.seq())] = m.seq();
        }
    }

    /** The DELIVER of a message for a catch-up, from the recently kept ones if it is there (else kept now). */
    private EncodedFrame cached(Message m) {
        int slot = slot(m.seq());
        EncodedFrame f = recent[slot];
        if (f != null && recentSeq[slot] == m.seq()) {
            return f;
        }
        f = encode(m);
        keep(m, f);
        return f;
    }

    private static int slot(long seq) {
        return (int) (seq & (RECENT_FRAMES - 1));
    }

    /**
     * Pushes one message, live or (with {@code catchingUp}) as part of a catch-up; false (and the
     * session parked for catch-up) if the connection refused it.
     */
    private boolean push(Session s, Message m, EncodedFrame frame, boolean catchingUp) {
        boolean queued = s.peer().send(frame);
        if (!queued) {
            s.fellBehind();
            park(s);
            return false;
        }
        s.pushed(m.seq(), catchingUp);
        // counted up at once, so that one catch-up batch or fan-out cannot pass the budget between
        // two samples; the next sample counts down what the sockets took meanwhile
        outboundTotal += frame.length();
        overBudget = outboundTotal > outboundBudget;
        return true;
    }

    /** The connection drained below its bound: catch it up now rather than at the next re-check. */
    void writable(Session s) {
        sampleOutbound(false);
        if (congested.contains(s) && !congested(s)) {
            congested.remove(s);
            if (!s.pumpQueued()) {
                pump(s);
            }
        }
    }

    private void park(Session s) {
        congested.add(s);
        if (recheck == null) {
            recheck = core.every(RECHECK, this::recheck);
        }
    }

    private void recheck() {
        sampleOutbound(true);
        for (Session s : List.copyOf(congested)) {
            if (!congested(s)) {
                congested.remove(s);
                if (!s.pumpQueued()) {
                    pump(s);
                }
            }
        }
        if (congested.isEmpty() && recheck != null) {
            recheck.cancel();
            recheck = null;
        }
    }

    /**
     * Whether {@code s} takes no pushes now: its own outbound buffer is over its bound, or all
     * connections together hold more than the server's outbound budget and this one holds more
     * than {@link #OUTBOUND_FLOOR}. A bound per connection alone let every slow reader keep its
     * megabyte, which thousands of connections (a patient user opens 64 per address) turn into
     * gigabytes; with the budget they share a fixed amount (docs/operations.md "Memory").
     */
    private boolean congested(Session s) {
        Peer p = s.peer();
        return p.congested() || overBudget && p.outboundBytes() > OUTBOUND_FLOOR;
    }

    /**
     * Sums the outbound bytes of every session, at most once per {@link #SAMPLE_NANOS} unless
     * {@code now}: the sum is a read per session, too much for every push but nothing every few
     * milliseconds. Between two samples {@link #push} adds what it queues, so the total only
     * errs high (by what the sockets took since), never lets pushes pass the budget.
     */
    private void sampleOutbound(boolean now) {
        long t = core.nanoTime();
        if (!now && t - lastSample < SAMPLE_NANOS) {
            return;
        }
        lastSample = t;
        long total = 0;
        for (List<Session> list : byDevice.values()) {
            for (int i = 0, n = list.size(); i < n; i++) {
                total += list.get(i).peer().outboundBytes();
            }
        }
        overBudget = total > outboundBudget;
        outboundTotal = total;
    }

    /** Bytes queued on all authenticated sessions now (metrics). Core thread. */
    long outboundNow() {
        sampleOutbound(true);
        return outboundTotal;
    }
}
