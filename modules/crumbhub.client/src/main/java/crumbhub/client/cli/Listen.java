package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.format.MessageFormat;
import crumbhub.client.format.ReceivedMessage;
import crumbhub.client.home.ReceiveState;
import crumbhub.client.message.Delivery;
import crumbhub.client.message.MessageOpener;
import crumbhub.client.message.Target;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code listen}: resume, SYNC, then print every DELIVER (the offline backlog first, then live
 * ones) until {@code --timeout} or {@code --count}.
 *
 * <p>Exactly-once printing across restarts: for each message, print, then store the highest
 * printed {@code seq} in the encrypted state, then ACK. A message at or below the stored seq is
 * only acknowledged. A crash between print and store can print one message twice; a crash
 * after the store cannot lose it (the server still holds it until the ACK) nor print it again.
 *
 * <p>Threads: the network thread only enqueues pushes and disconnect events; this command's
 * thread prints, writes the state and sends ACKs. A full queue (a terminal slower than the
 * server) drops the connection; the reconnect's SYNC resends from the server's cursor.
 */
final class Listen {
    /** Pushes buffered between the network thread and the printer before the connection is dropped. */
    static final int QUEUE_CAPACITY = 4096;
    /** Longest single wait for an event; bounds the arithmetic on a far-away deadline. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration ACK_WAIT = Duration.ofSeconds(5);
    /** How long Ctrl-C waits for the message being printed to be stored and acknowledged. */
    static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private sealed interface Event {
        record Push(MessageFrame.Deliver deliver) implements Event {}

        record Disconnected(int generation) implements Event {}

        record Overflow(int generation) implements Event {}

        record Stop() implements Event {}

        /** The server asked for more one-time prekeys (KEYS_STATUS push). */
        record Refill() implements Event {}
    }

    private final Context ctx;
    private final boolean json;
    private final long count;
    private final Instant deadline;
    private volatile crumbhub.client.e2e.E2eClient e2e;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Rooms whose membership log was read since the queue was last empty (listen thread). */
    private final java.util.Set<String> logsRead = new java.util.HashSet<>();
    private volatile boolean stopping;
    private volatile int generation;

    private Listen(Context ctx) {
        this.ctx = ctx;
        this.json = ctx.command.flag("json");
        this.count = ctx.command.value("count").map(Listen::parseCount).orElse(Long.MAX_VALUE);
        this.deadline = ctx.command.value("timeout").map(Listen::parseTimeout)
                .map(t -> ctx.io.clock().instant().plus(t)).orElse(Instant.MAX);
    }

    static int run(Context ctx) {
        return new Listen(ctx).listen();
    }

    private int listen() {
        var home = ctx.home();
        var hook = new Thread(this::stopFromSignal, "crumbhub-listen-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        e2e = ctx.e2e();
        try (var lock = home.lockListener();
             var resumed = Sessions.resume(ctx, this::onPush)) {
            var session = resumed.session();
            String me = resumed.record().user();
            e2e.attach(session);
            var backup = CommandBackup.attach(ctx, e2e);
            maintain();
            ReceiveState state = home.receiveState(resumed.record());
            startSync(session);
            long printed = 0;
            CompletableFuture<Frame> lastAck = CompletableFuture.completedFuture(null);
            while (printed < count && !stopping) {
                Instant now = ctx.io.clock().instant();
                if (!now.isBefore(deadline)) {
                    break;
                }
                // keep-alive PINGs are RpcClient's job (protocol §1: every 60 s)
                Duration wait = min(Duration.between(now, deadline), MAX_WAIT);
                Event event = events.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                switch (event) {
                    case Event.Stop stop -> {
                        // the loop condition sees `stopping`
                    }
                    case Event.Refill refill -> maintain();
                    case Event.Disconnected d -> {
                        if (d.generation() == generation && !reconnect(session)) {
                            return 0; // the deadline passed while reconnecting
                        }
                    }
                    case Event.Overflow o -> {
                        if (o.generation() == generation) {
                            events.clear();
                            if (!reconnect(session)) {
                                return 0;
                            }
                        }
                    }
                    case Event.Push push -> {
                        MessageFrame.Deliver d = push.deliver();
                        try {
                            if (d.kind() == crumbhub.wire.TargetKind.ROOM && logsRead.add(d.target())) {
                                // membership changes are shown before the messages that follow them; a
                                // backlog reads each room's log once, until the queue is empty again
                                showRoomEvents(d.target());
                            }
                            e2e.prefetch(Delivery.of(d));
                        } catch (ClientException e) {
                            if (e.kind() != ClientException.Kind.NETWORK) {
                                throw e;
                            }
                            // neither shown nor acknowledged: it comes again after the resync
                            events.clear();
                            if (!reconnect(session)) {
                                return 0;
                            }
                            continue;
                        }
                        if (Long.compareUnsigned(d.seq(), state.lastSeq()) > 0) {
                            // by id too: a message pushed early and lost in a server crash comes
                            // again from its sender's retry with a new seq (protocol §4)
                            if (state.recent().add(d.from(), d.messageId()) && show(d, me)) {
                                printed++;
                            }
                            state = state.withLastSeq(d.seq());
                            home.saveReceiveState(state);
                        }
                        long seq = d.seq();
                        lastAck = session.callAsync(id -> new MessageFrame.Ack(id, seq));
                        if (events.isEmpty()) {
                            logsRead.clear();
                        }
                    }
                }
            }
            awaitAck(lastAck);
            // what this listen recorded goes to the history backup before it ends (docs/client.md)
            backup.sealAndUpload(session);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    /** Prints the verified membership changes of {@code room} not shown yet (docs/client.md "Membership events"). */
    private void showRoomEvents(String room) {
        for (var e : e2e.roomEvents(room)) {
            ctx.println(json ? MessageFormat.memberJson(e.room(), e.action(), e.by(), e.user(), e.members(), e.newOwner(),
                    e.time(), e.id(), e.seq(), e.text()) : MessageFormat.memberPlain(e.room(), e.time(), e.text(), ctx.io.zone()));
        }
    }

    /** Uploads or refills this device's prekeys when needed; a failure is a notice, listening goes on. */
    private void maintain() {
        try {
            e2e.maintain();
        } catch (ClientException e) {
            if (e.kind() == ClientException.Kind.USAGE || e.kind() == ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            ctx.notice("could not upload prekeys: " + e.getMessage());
        }
    }

    /** Prints one message; false if there was nothing to print (a key update) or it could not be opened (reported on stderr). */
    private boolean show(MessageFrame.Deliver d, String me) {
        Target addressed = Target.of(d.kind().code(), d.target());
        var result = e2e.open(Delivery.of(d));
        switch (result) {
            case MessageOpener.Result.Unreadable u -> {
                ctx.notice("cannot read message " + d.messageId() + " from " + ClientText.safe(d.from()) + " in "
                        + ClientText.safe(addressed.display()) + ": " + u.reason());
                return false;
            }
            case MessageOpener.Result.Control c -> {
                ctx.debug("stored " + c.what());
                return false;
            }
            case MessageOpener.Result.Opened opened -> {
                // the time shown is the sender's, from inside the encryption; the server's is only the receipt time
                Instant received = Instant.ofEpochMilli(d.tsMs());
                var message = new ReceivedMessage(ReceivedMessage.conversationOf(addressed, d.from(), me), d.from(),
                        Integer.toUnsignedLong(d.fromDevice()), d.seq(), opened.shownTime(received),
                        opened.id().toBytes(), opened.text(), received, opened.interaction());
                // recorded before printed: a crash in between records it once
                String dropped = ctx.recorder().received(message);
                if (dropped != null) {
                    // only the author edits or deletes (docs/client.md "Replies, reactions, edits and deletes")
                    ctx.notice("warning: " + ClientText.safe(dropped));
                    return false;
                }
                ctx.println(json ? MessageFormat.json(message) : MessageFormat.plain(message, ctx.io.zone()));
                if (ctx.io.out().checkError()) {
                    // e.g. `listen | head -1` after head exited: the message was not shown, so it is
                    // neither marked as printed nor acknowledged, and the next listen shows it
                    throw ClientException.store("cannot write to standard output (closed?); stopped before seq "
                            + Long.toUnsignedString(d.seq()));
                }
                return true;
            }
        }
    }

    /** Network thread: pushes go to the queue; a low prekey pool becomes a refill; anything else is not for us. */
    private void onPush(Frame frame) {
        e2e.onPush(frame);
        if (crumbhub.client.e2e.E2eClient.isMaintenancePush(frame) && e2e.refillWanted()) {
            events.offer(new Event.Refill());
        }
        if (frame instanceof MessageFrame.Deliver d && !events.offer(new Event.Push(d))) {
            events.poll(); // make room for the signal; the dropped push comes again after the resync
            events.offer(new Event.Overflow(generation));
        }
    }

    private void startSync(crumbhub.client.net.ClientSession session) {
        int g = generation;
        session.disconnected().thenRun(() -> events.offer(new Event.Disconnected(g)));
        session.callAsync(crumbhub.wire.MessageFrame.Sync::new);
    }

    /** Reconnects with growing pauses until it works or the deadline passes (false). */
    private boolean reconnect(crumbhub.client.net.ClientSession session) throws InterruptedException {
        Duration pause = Duration.ofSeconds(1);
        generation++;
        boolean reported = false;
        while (!stopping) {
            try {
                session.reconnect();
                if (reported) {
                    ctx.notice("reconnected to " + session.server());
                }
                startSync(session);
                return true;
            } catch (ClientException e) {
                if (e.kind() != ClientException.Kind.NETWORK) {
                    throw e;
                }
                if (!reported) {
                    ctx.notice(e.getMessage() + "; reconnecting");
                    reported = true;
                }
            }
            Duration left = Duration.between(ctx.io.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return false;
            }
            Thread.sleep(min(pause, left).toMillis());
            pause = min(pause.multipliedBy(2), MAX_BACKOFF);
        }
        return false;
    }

    private void awaitAck(CompletableFuture<Frame> ack) throws InterruptedException {
        try {
            ack.get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the printed state is stored; the server resends unacknowledged messages and they are skipped
            ctx.debug("last ACK not confirmed: " + e);
        }
    }

    /** Shutdown hook (Ctrl-C, SIGTERM): let the current message finish, then return. */
    private void stopFromSignal() {
        stopping = true;
        events.offer(new Event.Stop());
        try {
            finished.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (Ctrl-C): the hook is running and ends on its own
            hook.interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static long parseCount(String raw) {
        if (!raw.matches("[0-9]{1,18}") || Long.parseLong(raw) == 0) {
            throw ClientException.usage("--count needs a positive whole number, not '" + ClientText.safe(raw) + "'");
        }
        return Long.parseLong(raw);
    }

    static Duration parseTimeout(String raw) {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(raw);
        } catch (NumberFormatException e) {
            seconds = BigDecimal.ZERO;
        }
        if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(100L * 365 * 24 * 3600)) > 0
            || !raw.matches("[0-9]+(\\.[0-9]+)?")) {
            throw ClientException.usage("--timeout needs a positive number of seconds, not '" + ClientText.safe(raw) + "'");
        }
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
    }
}
