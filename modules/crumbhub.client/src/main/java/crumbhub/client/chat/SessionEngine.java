package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.e2e.AccountDevices;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.net.ClientSession;
import crumbhub.client.ops.Operation;
import crumbhub.client.model.ConnectionState;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageId;
import crumbhub.wire.loop.Cancellable;
import crumbhub.wire.loop.FatalErrors;
import crumbhub.wire.loop.NanoClock;
import crumbhub.wire.loop.SerialExecutor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * A long-lived session with the server for the chat and the daemon: connects and resumes in the
 * background, reconnects with backoff, sends queued messages with their original ids, receives
 * deliveries (stored by the listener, then acknowledged) and runs requests without ever blocking
 * the caller.
 *
 * <pre>
 *                start()                 RESUME ok
 *   IDLE ─────────────────► CONNECTING ─────────────► CONNECTED ──(SYNC, flush queued work)
 *                              ▲   │ network error        │ connection lost
 *                              │   ▼                      ▼
 *                              └─ OFFLINE (retry in 1 s … 30 s, jittered) ◄──┘
 *   any other error (server key changed, session expired, store) ──► STOPPED (listener.stopped)
 * </pre>
 *
 * <p>End-to-end encryption is the {@link E2eClient}'s: on each connection the engine attaches
 * it and lets it upload or refill this device's prekeys (again whenever a KEYS_STATUS push says
 * the server runs low); messages are sealed by it before they are sent and opened by it before
 * the listener sees them; its warnings (an identity key changed) go to {@link Listener#warning}.
 * All of its calls happen on the session thread.
 *
 * <p>Threads: one <b>session thread</b> owns all state here and calls the {@link Listener}; the
 * public methods only hand work to it and may be called from any thread. Connection attempts
 * block on a short-lived connector thread; the network thread only queues pushes and completes
 * futures. Replies and pushes come back to the session thread, so the listener never needs
 * locks.
 */
public final class SessionEngine {
    /**
     * @param requestTimeout how long a request waits for its reply on a live connection
     * @param offlineWait    how long a request made while offline waits for the connection
     * @param sendWindow     messages in flight at once (they stay in order: one connection, one queue)
     */
    public record Options(Duration requestTimeout, Duration offlineWait, int sendWindow, Duration minBackoff,
                          Duration maxBackoff) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(30), Duration.ofSeconds(20), 32,
                Duration.ofSeconds(1), Duration.ofSeconds(30));

        public Options {
            Objects.requireNonNull(requestTimeout);
            Objects.requireNonNull(offlineWait);
            if (sendWindow < 1) {
                throw new IllegalArgumentException("sendWindow must be positive");
            }
        }
    }

    /** Opens an authenticated session (connect, server key check, RESUME). Blocking; runs on a connector thread. */
    @FunctionalInterface
    public interface Connector {
        /** @throws ClientException network (retried), or any other kind (the engine stops) */
        ClientSession open(Consumer<Frame> pushes);
    }

    /**
     * The highest {@code seq} handled and the recent (sender, message id) pairs shown, kept across
     * restarts (the home's receive state). Session thread.
     */
    public interface Cursor {
        long lastSeq();

        /**
         * True if no message from {@code from} with this id was handled before (then it is
         * remembered, stored with the next {@link #advance}); false for a message the server pushed
         * again under a new seq after losing it in a crash (protocol §4).
         */
        boolean firstSight(String from, MessageId id);

        /** Stores {@code seq} durably before returning. */
        void advance(long seq);
    }

    /** What happens, told on the session thread. */
    public interface Listener {
        void connectionChanged(ConnectionState state);

        /** Authenticated and synchronising: a good time to refresh rooms. */
        default void ready() {
        }

        /**
         * The server pushed a membership change of a room this user is or was in
         * (MEMBERSHIP_CHANGED, docs/protocol.md): someone was invited, joined, left or was kicked.
         */
        default void membershipChanged(crumbhub.wire.MembershipFrame.MembershipChanged change) {
        }

        /**
         * Deliveries in order. Store or print them before returning: they are acknowledged right
         * after. Throw a {@link ClientException} if that failed: nothing is acknowledged and the
         * engine stops.
         */
        void received(List<IncomingMessage> batch);

        /** The server stored {@code message} (SEND_OK). */
        void sent(OutgoingMessage message, long seq, java.time.Instant time);

        /** {@code message} will not be sent: the server refused it, or it cannot be sealed. */
        void notSent(OutgoingMessage message, Failure why);

        /** The engine cannot go on (no more reconnects); queued work has failed. */
        void stopped(ClientException why);

        /**
         * A loud warning of the end-to-end layer, one sentence (an identity key changed, a device
         * was skipped); never message text.
         */
        default void warning(String text) {
        }
    }

    /** The outcome of a request, on the session thread: exactly one of the two is non-null. */
    @FunctionalInterface
    public interface Callback<T> {
        void done(T reply, Failure failure);
    }

    private final Connector connector;
    private final E2eClient e2e;
    private final Listener listener;
    private final Options options;
    private final Clock clock;
    private final Backoff backoff;
    /** The session thread: its task queue and timers (reconnect backoff, request timeouts). */
    private final SerialExecutor thread;
    private final DeliveryQueue inbox;
    private final SendQueue outbox;
    private final Calls calls;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    // session thread only
    private ClientSession session;
    private int generation;
    private boolean connecting;
    private Thread connectorThread;
    /** Failed attempts in a row (for the backoff). */
    private int failures;
    /** Attempts since the last success (shown: "connecting… (attempt 3)"). */
    private int attempts;
    private Cancellable retry;
    private ClientException stoppedBy;
    private boolean closed;
    private final ArrayDeque<Runnable> idleWaiters = new ArrayDeque<>();

    /**
     * @param e2e the end-to-end layer of this device, made with {@code listener::warning} as its
     *            warnings; used on the session thread only
     */
    public SessionEngine(Connector connector, E2eClient e2e, Cursor cursor, String me, Listener listener,
                         Options options, Clock clock, RandomGenerator jitter) {
        this.connector = connector;
        this.e2e = e2e;
        this.listener = listener;
        this.options = options;
        this.clock = clock;
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff(), jitter);
        this.thread = SerialExecutor.start("crumbhub-session", NanoClock.SYSTEM, SerialExecutor.NO_HOOKS,
                FatalErrors.INSTALLED);
        this.inbox = new DeliveryQueue(this, e2e, cursor, me, listener);
        this.outbox = new SendQueue(this, e2e, listener, options.sendWindow());
        this.calls = new Calls(this, options);
    }

    /** Starts connecting. */
    public void start() {
        execute(this::connect);
    }

    /**
     * Runs {@code task} on the session thread: at once if called there (so work handed on by a
     * task is counted before anything queued after that task runs), else queued. False if the
     * engine is closed.
     */
    public boolean execute(Runnable task) {
        if (thread.inExecutor()) {
            guarded(task);
            return true;
        }
        return later(task);
    }

    /** Queues {@code task} for the session thread, even when called there (callbacks, continuations). */
    boolean later(Runnable task) {
        if (thread.isShutdown()) {
            return false;
        }
        thread.execute(() -> guarded(task));
        return true;
    }

    /** Runs {@code task} on the session thread after {@code delay}, guarded like every task there. Any thread. */
    Cancellable schedule(Duration delay, Runnable task) {
        return thread.schedule(delay, () -> guarded(task));
    }

    /** Runs {@code task} on the session thread every {@code period}, guarded like every task there. */
    Cancellable every(Duration period, Runnable task) {
        return thread.every(period, () -> guarded(task));
    }

    /** Queues a message; it is sent, in order, whenever connected. */
    public void send(OutgoingMessage message) {
        execute(() -> outbox.add(message));
    }

    /**
     * Sends a request and calls {@code done} on the session thread with the reply of type
     * {@code expected}, or a {@link Failure}: the server's ERROR, a timeout, or the connection
     * not coming back within {@link Options#offlineWait}.
     */
    public <T extends Frame> void request(IntFunction<Frame> frame, Class<T> expected, Callback<T> done) {
        execute(() -> calls.request(frame, expected, done));
    }

    /**
     * The safety number with {@code user} ({@link E2eClient#verify}); with {@code confirm}, marks
     * {@code user}'s current devices verified. {@code done} runs on the session thread. Needs the
     * connection (the server lists the devices): fails with {@link Failure#OFFLINE} without one.
     */
    public void verify(String user, boolean confirm, Callback<E2eClient.Verification> done) {
        execute(() -> {
            if (session == null) {
                Failure stopped = stoppedFailure();
                done.done(null, stopped != null ? stopped
                        : new Failure(Failure.OFFLINE, "not connected: verification needs the server's list of devices"));
                return;
            }
            E2eClient.Verification v;
            try {
                v = e2e.verify(user, confirm);
            } catch (ClientException e) {
                if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                    throw e;
                }
                done.done(null, SendQueue.failureOf(e));
                return;
            }
            done.done(v, null);
        });
    }

    /**
     * Makes the user's membership change {@code change} ({@link E2eClient#changeRoom}: signed, then
     * sent); {@code done} runs on the session thread with OK or the failure. Needs the connection:
     * fails with {@link Failure#OFFLINE} without one.
     */
    public void changeRoom(crumbhub.client.ops.Operation.Membership change, Callback<crumbhub.wire.ControlFrame.Ok> done) {
        execute(() -> {
            if (session == null) {
                Failure stopped = stoppedFailure();
                done.done(null, stopped != null ? stopped
                        : new Failure(Failure.OFFLINE, "not connected: " + change.what() + " needs the server"));
                return;
            }
            try {
                e2e.changeRoom(change.change(), change.room(), change.subject());
            } catch (ClientException e) {
                if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                    throw e;
                }
                done.done(null, SendQueue.failureOf(e));
                return;
            }
            done.done(new crumbhub.wire.ControlFrame.Ok(0), null);
        });
    }

    /**
     * The verified membership changes of {@code room} not shown yet ({@link E2eClient#roomEvents});
     * session thread, blocking on the network. Empty without a connection or when it fails (a warning).
     */
    java.util.List<E2eClient.RoomEvent> roomEvents(String room) {
        if (session == null) {
            return java.util.List.of();
        }
        try {
            return e2e.roomEvents(room);
        } catch (ClientException e) {
            if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            listener.warning("could not read the membership log of #" + room + ": " + e.getMessage());
            return java.util.List.of();
        }
    }

    /**
     * This account's devices with their states ({@link AccountDevices}), as the CLI's
     * {@code devices} shows them: the listing and the states need the server, so this runs on
     * the session thread (blocking there, like {@link #verify}), never on the UI thread.
     * {@code done} runs on the session thread; {@link Failure#OFFLINE} without a connection.
     */
    public void devices(Callback<AccountDevices> done) {
        execute(() -> {
            if (session == null) {
                Failure stopped = stoppedFailure();
                done.done(null, stopped != null ? stopped
                        : new Failure(Failure.OFFLINE, "not connected: the list of devices comes from the server"));
                return;
            }
            AccountDevices devices;
            try {
                var list = new Operation.ListDevices().callOn(session);
                devices = AccountDevices.of(e2e, list.items(), list.more());
            } catch (ClientException e) {
                if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                    throw e;
                }
                done.done(null, SendQueue.failureOf(e));
                return;
            }
            done.done(devices, null);
        });
    }

    /**
     * Runs the one-request {@code call} on the live connection and waits for its reply. Session
     * thread only (a listener method or a callback), which it blocks for one round trip, as
     * {@link #devices} does: for a front end that must answer with the result before it handles
     * what comes next (the IRC gateway names a room's members before the messages that follow its
     * JOIN). Not for membership changes, which are signed ({@link #changeRoom}).
     *
     * @throws ClientException NETWORK without a connection or when it breaks, REFUSED on the server's ERROR
     */
    public <R> R callNow(Operation.Call<R> call) {
        if (!thread.inExecutor()) {
            throw new IllegalStateException("callNow runs on the session thread");
        }
        if (call instanceof Operation.Membership) {
            throw new IllegalArgumentException("membership changes go through changeRoom");
        }
        if (session == null) {
            throw ClientException.network("not connected", null);
        }
        return call.callOn(session);
    }

    /** Whether connected right now (session thread). */
    public boolean connected() {
        return session != null;
    }

    /**
     * Completes once nothing is left to do (no queued or unacknowledged message, no request
     * waiting for a reply) or {@code timeout} passed; true if everything finished. Reconnects go
     * on meanwhile.
     */
    public CompletableFuture<Boolean> drain(Duration timeout) {
        var done = new CompletableFuture<Boolean>();
        if (!execute(() -> {
            idleWaiters.add(() -> done.complete(true));
            checkIdle();
        })) {
            done.complete(true);
        }
        return done.completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops the connection and stops every thread of the engine; waits at most a few seconds. */
    public void close() {
        execute(() -> {
            closed = true;
            if (retry != null) {
                retry.cancel();
            }
            if (connectorThread != null) {
                connectorThread.interrupt();
            }
            dropSession();
            thread.shutdown();
            terminated.complete(null);
        });
        try {
            terminated.get(5, TimeUnit.SECONDS);
            thread.awaitTermination(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            thread.shutdown();
        }
    }

    // ---- session thread from here on -------------------------------------------------------

    ClientSession session() {
        return session;
    }

    int generation() {
        return generation;
    }

    Clock clock() {
        return clock;
    }

    Duration requestTimeout() {
        return options.requestTimeout();
    }

    /** Runs a task, turning a failure into a stop (store errors) or a line for the user, never a dead thread. */
    void guarded(Runnable task) {
        try {
            task.run();
        } catch (ClientException e) {
            stop(e);
        } catch (RuntimeException e) {
            stop(new ClientException(ClientException.Kind.LOCAL_STORE, "internal error in the session ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e));
        }
    }

    /** Drops the current connection after a timeout; it is made again after the usual pause. */
    void dropConnection(int gen) {
        dropConnection(gen, "no reply from the server in time");
    }

    /** Drops the current connection after a network failure told as {@code reason}; made again after the usual pause. */
    void dropConnection(int gen, String reason) {
        if (gen == generation && session != null) {
            lost(gen, reason, false);
        }
    }

    /**
     * Drops the current connection because this client fell behind (the push queue is full) and
     * connects again at once: the SYNC then resends from the acknowledged cursor.
     */
    void resync(int gen) {
        if (gen == generation && session != null) {
            lost(gen, "catching up", true);
        }
    }

    void checkIdle() {
        if (outbox.isEmpty() && calls.idle() && !inbox.busy()) {
            while (!idleWaiters.isEmpty()) {
                idleWaiters.poll().run();
            }
        }
    }

    private void connect() {
        if (closed || stoppedBy != null || connecting || session != null) {
            return;
        }
        connecting = true;
        retry = null;
        int gen = ++generation;
        listener.connectionChanged(new ConnectionState.Connecting(++attempts));
        connectorThread = Thread.ofPlatform().name("crumbhub-connect").daemon().start(() -> {
            ClientSession opened;
            try {
                opened = connector.open(frame -> pushed(gen, frame));
            } catch (ClientException e) {
                later(() -> connectFailed(gen, e));
                return;
            } catch (RuntimeException e) {
                later(() -> connectFailed(gen, ClientException.network("cannot connect: " + e, e)));
                return;
            }
            if (!later(() -> connected(gen, opened))) {
                opened.close(); // the engine closed meanwhile
            }
        });
    }

    private void connected(int gen, ClientSession opened) {
        connecting = false;
        connectorThread = null;
        if (closed || stoppedBy != null || gen != generation) {
            opened.close();
            return;
        }
        session = opened;
        failures = 0;
        attempts = 0;
        opened.disconnected().thenRun(() -> later(() -> lost(gen, "the connection to " + opened.server() + " was lost",
                false)));
        listener.connectionChanged(new ConnectionState.Connected());
        e2e.attach(opened);
        maintainKeys(gen);
        if (session != opened) {
            return; // lost while uploading keys
        }
        inbox.sync(opened);
        listener.ready();
        calls.connected();
        outbox.pump();
    }

    /** Network thread: a push. Must not block. */
    private void pushed(int gen, Frame frame) {
        if (frame instanceof crumbhub.wire.MembershipFrame.MembershipChanged change && change.requestId() == 0) {
            execute(() -> {
                if (gen == generation) {
                    listener.membershipChanged(change);
                }
            });
            return;
        }
        if (E2eClient.isMaintenancePush(frame)) {
            e2e.onPush(frame);
            if (e2e.refillWanted()) {
                later(() -> maintainKeys(gen));
            }
            return;
        }
        inbox.push(gen, frame);
    }

    /**
     * Uploads this device's keys if the server lacks them, refills its one-time prekeys when
     * they run low, rotates the signed prekeys when due (blocking: a round trip or two). A
     * network failure drops the connection (it is tried again on the next one); a refusal is a
     * warning and the session goes on, as {@code listen} does.
     */
    private void maintainKeys(int gen) {
        if (gen != generation || session == null) {
            return;
        }
        try {
            e2e.maintain();
        } catch (ClientException e) {
            switch (e.kind()) {
                case NETWORK -> dropConnection(gen);
                case REFUSED, IDENTITY -> listener.warning("could not upload prekeys: " + printable(e.getMessage()));
                case USAGE, LOCAL_STORE -> throw e;
            }
        }
    }

    private void connectFailed(int gen, ClientException e) {
        connecting = false;
        connectorThread = null;
        if (closed || gen != generation) {
            return;
        }
        if (e.kind() == ClientException.Kind.NETWORK) {
            failures++;
            scheduleRetry(e.getMessage());
        } else {
            stop(e);
        }
    }

    private void lost(int gen, String reason, boolean immediately) {
        if (gen != generation || session == null) {
            return;
        }
        dropSession();
        outbox.connectionLost();
        inbox.connectionLost();
        if (closed || stoppedBy != null) {
            return;
        }
        if (immediately) {
            failures = 0;
            retry = null;
            connect();
        } else {
            failures = 1;
            scheduleRetry(reason);
        }
    }

    private void dropSession() {
        if (session != null) {
            var s = session;
            session = null;
            generation++;
            s.close();
        }
    }

    private void scheduleRetry(String reason) {
        Duration delay = backoff.delay(failures);
        listener.connectionChanged(new ConnectionState.Offline(Optional.of(clock.instant().plus(delay)), reason));
        retry = schedule(delay, this::connect);
    }

    /** The engine gives up: tells the listener, fails queued work. */
    void stop(ClientException why) {
        if (stoppedBy != null) {
            return;
        }
        stoppedBy = why;
        if (retry != null) {
            retry.cancel();
        }
        dropSession();
        listener.connectionChanged(new ConnectionState.Offline(Optional.empty(), why.getMessage()));
        listener.stopped(why);
        calls.failWaiting();
        outbox.failAll(stoppedFailure());
        checkIdle();
    }

    /** Why requests fail once the engine has stopped; null while it runs. */
    Failure stoppedFailure() {
        return stoppedBy == null ? null : new Failure(Failure.STOPPED, stoppedBy.getMessage());
    }

    /** Server text shown to people: control characters become spaces. */
    static String printable(String text) {
        var b = new StringBuilder();
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return b.toString().strip();
    }
}
