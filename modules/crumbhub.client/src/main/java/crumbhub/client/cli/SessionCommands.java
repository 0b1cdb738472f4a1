package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.backup.BackupWorker;
import crumbhub.client.backup.EngineLink;
import crumbhub.client.backup.HistoryBackup;
import crumbhub.client.chat.ChatSession;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.chat.SessionEngine;
import crumbhub.client.chat.StoredSession;
import crumbhub.client.daemon.Daemon;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.home.Home;
import crumbhub.client.home.ReceiveState;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.tui.ChatLauncher;
import crumbhub.client.tui.DemoModel;
import crumbhub.client.tui.term.TerminalException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.MessageId;

import java.time.Duration;

/**
 * {@code chat} and {@code daemon}: the long-running sessions. Both hold the home's listener lock
 * and share its receive state with {@code listen}, so a message is shown by one of them, once.
 * Messages are sealed and opened by the device's {@link E2eClient}, as {@code send} and
 * {@code listen} do; its warnings (a changed identity key) are shown inline by the chat and are
 * {@code warning} events of the daemon.
 */
final class SessionCommands {
    /** How long quitting the chat waits for messages in flight (queued ones stay pending in the history). */
    static final Duration QUIT_GRACE = Duration.ofSeconds(2);

    private SessionCommands() {
    }

    static int chat(Context ctx) {
        try {
            if (ctx.command.flag("demo")) {
                ChatLauncher.run(new DemoModel("me", ctx.io.clock(), 300), ctx.io.env(), ctx.io.in(), ctx.io.out());
                return 0;
            }
            Home home = ctx.home();
            if (!home.hasSession()) {
                FirstRun.run(ctx);
            }
            SessionRecord record = home.session();
            try (var lock = lock(home); X25519KeyPair deviceKey = home.deviceKey()) {
                HistoryStore history = openHistory(ctx, home, record);
                var engine = new SessionEngine[1];
                var chat = new ChatSession(record.server().key(), record.user(), history, ctx.io.clock(), ctx.rng,
                        listener -> engine[0] = engine(ctx, home, record, deviceKey, listener));
                var backup = backupWorker(ctx, home, record, engine[0], chat);
                chat.tap(backup);
                try {
                    backup.start();
                    ChatLauncher.run(chat, ctx.io.env(), ctx.io.in(), ctx.io.out());
                } finally {
                    // messages in flight first (their sent lines reach the backup), then the backup
                    // uploads what is left over the still open connection, then the session ends
                    drain(engine[0]);
                    backup.close(QUIT_GRACE);
                    chat.close(QUIT_GRACE);
                }
                return 0;
            }
        } catch (TerminalException e) {
            throw ClientException.usage("the terminal failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static int daemon(Context ctx) {
        if (!ctx.command.flag("json")) {
            throw ClientException.usage("daemon speaks JSON lines: run crumbhub-client daemon --json");
        }
        Home home = ctx.home();
        SessionRecord record = home.session();
        try (var lock = lock(home); X25519KeyPair deviceKey = home.deviceKey()) {
            var daemon = new Daemon(ctx.io.out(), ctx.io.clock(), ctx.rng, Daemon.DRAIN, ctx.recorder(),
                    listener -> engine(ctx, home, record, deviceKey, listener));
            var backup = daemonBackup(ctx, home, record, daemon);
            ctx.recorder().tap(backup);
            daemon.beforeClose(() -> closeBackup(backup));
            var hook = new Thread(daemon::shutdown, "crumbhub-daemon-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                backup.start();
                return daemon.run(ctx.io.in());
            } finally {
                removeHook(hook);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void drain(SessionEngine engine) throws InterruptedException {
        try {
            engine.drain(QUIT_GRACE).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("drain never fails", e);
        }
    }

    /**
     * The chat's history backup (docs/client.md "History backup"): its own thread restores the
     * account's backup once and uploads what the chat records; its warnings are the chat's.
     */
    private static BackupWorker backupWorker(Context ctx, Home home, SessionRecord record, SessionEngine engine,
                                             ChatSession chat) {
        var e2e = E2eClient.create(home, record.user(), record.deviceId(), ctx.rng, ctx.io.clock(), chat::warn);
        var backup = HistoryBackup.open(home, e2e, record.deviceId(), ctx.rng, chat::warn);
        return new BackupWorker(backup, new EngineLink(engine), chat::restored, chat::warn, BackupWorker.FLUSH_DELAY);
    }

    /**
     * The daemon's history backup, as the chat's: its own thread restores the account's backup once
     * and uploads what the daemon records (after {@link BackupWorker#FLUSH_DELAY} of quiet, and what
     * is left when the input ends); restored lines are stored on the session thread, which owns the
     * history; its warnings are "warning" events.
     */
    private static BackupWorker daemonBackup(Context ctx, Home home, SessionRecord record, Daemon daemon) {
        var e2e = E2eClient.create(home, record.user(), record.deviceId(), ctx.rng, ctx.io.clock(), daemon::warn);
        var backup = HistoryBackup.open(home, e2e, record.deviceId(), ctx.rng, daemon::warn);
        HistoryStore store = ctx.history();
        SessionEngine engine = daemon.engine();
        return new BackupWorker(backup, new EngineLink(engine), lines -> {
            var stored = new java.util.concurrent.CompletableFuture<Void>();
            boolean queued = engine.execute(() -> {
                try {
                    lines.forEach(store::append);
                    stored.complete(null);
                } catch (RuntimeException e) {
                    stored.completeExceptionally(e);
                }
            });
            if (!queued) {
                throw ClientException.store("the daemon has stopped; the restored history was not stored");
            }
            try {
                stored.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ClientException.store("interrupted while storing the restored history", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof ClientException c ? c
                        : ClientException.store("cannot store the restored history: " + e.getCause(), e.getCause());
            }
        }, daemon::warn, BackupWorker.FLUSH_DELAY);
    }

    private static void closeBackup(BackupWorker backup) {
        try {
            backup.close(QUIT_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static SessionEngine engine(Context ctx, Home home, SessionRecord record, X25519KeyPair deviceKey,
                                        SessionEngine.Listener listener) {
        var e2e = ctx.withWitness(E2eClient.create(home, record.user(), record.deviceId(), ctx.rng, ctx.io.clock(),
                listener::warning));
        return new SessionEngine(StoredSession.connector(record, deviceKey, home.knownServers()), e2e,
                cursor(home, record), record.user(), listener, SessionEngine.Options.DEFAULT, ctx.io.clock(), ctx.rng);
    }

    /** The home's receive state as the engine's cursor; written on the session thread. */
    static SessionEngine.Cursor cursor(Home home, SessionRecord record) {
        var state = new ReceiveState[] {home.receiveState(record)};
        return new SessionEngine.Cursor() {
            @Override
            public long lastSeq() {
                return state[0].lastSeq();
            }

            @Override
            public boolean firstSight(String from, MessageId id) {
                return state[0].recent().add(from, id);
            }

            @Override
            public void advance(long seq) {
                state[0] = state[0].withLastSeq(seq);
                home.saveReceiveState(state[0]);
            }
        };
    }

    private static HistoryStore openHistory(Context ctx, Home home, SessionRecord record) {
        return Context.openHistory(home, record, ctx.rng);
    }

    static Home.ListenerLock lock(Home home) {
        try {
            return home.lockListener();
        } catch (ClientException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("another")) {
                throw e;
            }
            throw ClientException.store("another chat, daemon or listen is using " + home.dir()
                    + " (only one at a time may receive its messages)", e);
        }
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            hook.interrupt(); // the JVM is shutting down: the hook is running and ends on its own
        }
    }
}
