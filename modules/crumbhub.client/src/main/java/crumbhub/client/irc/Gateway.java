package crumbhub.client.irc;

import crumbhub.client.ClientException;
import crumbhub.client.chat.Failure;
import crumbhub.client.chat.HistoryRecorder;
import crumbhub.client.chat.IncomingMessage;
import crumbhub.client.chat.OutgoingMessage;
import crumbhub.client.chat.Requests;
import crumbhub.client.chat.SessionEngine;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.ops.Operation;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.MessageId;
import crumbhub.wire.log.Log;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The account side of the IRC gateway (docs/irc.md): one {@link SessionEngine}, the same as the
 * chat's and the daemon's, running while an IRC client is registered. Received messages become
 * IRC lines written to that client before the engine acknowledges them; what the client sends
 * becomes end-to-end encrypted messages and room operations ({@link GatewayCommands}).
 *
 * <pre>
 *   no client ──client registers──► ENGINE RUNNING ──client leaves (QUIT, EOF)──► engine drained, closed
 *                                     │ ▲ another client registers: it takes over, the first is closed
 *                                     └─┘
 * </pre>
 *
 * While no client is registered the engine is not running, so messages stay on the server and a
 * client that registers later gets them (offline messages). A batch that arrives as the client
 * goes away is not acknowledged: the engine stops and the next engine receives it again.
 *
 * <p>Threads: {@link #attach} and {@link #detach} run on connection threads, serialized on this
 * object. Everything else ({@link Events}, the commands' work, the fields marked so) runs on the
 * engine's session thread; connection threads only queue work there with {@link #onSession}.
 */
public final class Gateway {
    /** The gateway's name as the source of its own lines. */
    static final String SERVER = "crumbhub";
    /** The control channel (docs/irc.md "The &amp;crumbhub channel"). */
    static final String CONTROL = "&crumbhub";
    /** The source of the control channel's notices, as ZNC's {@code *status}. */
    static final String CONTROL_SOURCE = "*crumbhub!crumbhub@crumbhub";
    /** How long a leaving client's messages in flight may take before the engine closes. */
    static final Duration DRAIN = Duration.ofSeconds(5);
    /** Commands held until the session is connected: an autojoin list and a few lines typed meanwhile. */
    static final int MAX_WAITING = 256;

    private static final Log LOG = Log.get("crumbhub.irc");

    private final String me;
    private final Function<SessionEngine.Listener, SessionEngine> engines;
    private final HistoryRecorder history;
    private final IrcOptions options;
    private final Clock clock;
    private final SecureRandom rng;

    // serialized on this object (attach/detach); read by the session thread
    private volatile IrcConnection current;
    private volatile SessionEngine engine;
    private volatile Requests requests;

    // session thread only
    /** Rooms (folded names) the current client has been told it joined. */
    final Set<String> open = new HashSet<>();
    /** Messages sent by the client, waiting for the server: id → the connection and the target as the client wrote it. */
    final Map<MessageId, Sent> sends = new HashMap<>();
    private int batches;
    /** Commands that arrived before the engine was connected, run when it is ({@link Events#ready}). */
    private final java.util.ArrayDeque<Runnable> untilReady = new java.util.ArrayDeque<>();

    record Sent(IrcConnection connection, String target) {
    }

    /**
     * @param me      the logged-in user (the IRC nick)
     * @param history the local history (recorded into, replayed from), or null for none
     * @param engines makes a session engine given its listener (as the daemon gets it)
     */
    public Gateway(String me, IrcOptions options, HistoryRecorder history, Clock clock, SecureRandom rng,
                   Function<SessionEngine.Listener, SessionEngine> engines) {
        this.me = me;
        this.options = options;
        this.history = history;
        this.clock = clock;
        this.rng = rng;
        this.engines = engines;
    }

    String me() {
        return me;
    }

    String serverName() {
        return SERVER;
    }

    IrcOptions options() {
        return options;
    }

    HistoryRecorder history() {
        return history;
    }

    SecureRandom rng() {
        return rng;
    }

    Clock clock() {
        return clock;
    }

    SessionEngine engine() {
        return engine;
    }

    Requests requests() {
        return requests;
    }

    String hostmask(String nick) {
        String n = IrcText.token(nick);
        return n + "!" + n + "@" + SERVER;
    }

    void log(String event, String detail) {
        LOG.info(event, "detail", detail == null ? "" : detail);
    }

    /**
     * Connection thread, right after registration: greets the client, makes it the current one
     * (closing a previous client) and starts the engine if none runs. Blocks until done.
     */
    synchronized void attach(IrcConnection connection, String givenNick) {
        IrcConnection previous = current;
        if (previous != null && previous != connection) {
            previous.close("Another IRC client connected for " + me);
        }
        Welcome.send(this, connection, givenNick);
        current = connection;
        if (engine == null) {
            var made = engines.apply(new Events());
            requests = new Requests(made);
            engine = made;
            made.execute(this::forgetClient);
            made.start();
        } else {
            engine.execute(() -> {
                forgetClient();
                if (engine != null && engine.connected()) {
                    connection.send(notice(CONTROL, "connected to the CrumbHub server"));
                    joinRooms(connection);
                }
            });
        }
    }

    /** Connection thread, when a connection ends: the engine stops once no client is left. */
    synchronized void detach(IrcConnection connection) {
        if (current != connection) {
            return;
        }
        current = null;
        SessionEngine running = engine;
        if (running == null) {
            return;
        }
        engine = null;
        requests = null;
        try {
            running.drain(DRAIN).get(DRAIN.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log("irc_drain_failed", e.toString());
        }
        running.close();
    }

    /** Closes the current client and the engine (the command ends). Any thread. */
    public void shutdown() {
        IrcConnection c = current;
        if (c != null) {
            c.close("Gateway shutting down");
            detach(c);
        }
    }

    /** Connection thread: one command of a registered client; its work runs on the session thread. */
    void command(IrcConnection connection, IrcMessage m) {
        GatewayCommands.handle(this, connection, m);
    }

    /**
     * Queues {@code task} for the session thread, to run once the engine is connected (at once if
     * it is): clients send their JOINs right after registration, before the session is up. At
     * most {@link #MAX_WAITING} tasks wait; false (and a notice) if no engine runs.
     */
    boolean onSession(IrcConnection connection, Runnable task) {
        return onSessionNow(connection, () -> {
            SessionEngine now = engine;
            if (now != null && now.connected()) {
                task.run();
            } else if (untilReady.size() < MAX_WAITING) {
                untilReady.add(task);
            } else {
                connection.send(notice(connection.target(), "not connected to the CrumbHub server yet: try again later"));
            }
        });
    }

    /** Queues {@code task} for the session thread whether connected or not; false (and a notice) if no engine runs. */
    boolean onSessionNow(IrcConnection connection, Runnable task) {
        SessionEngine e = engine;
        if (e == null || !e.execute(task)) {
            connection.send(notice(connection.target(), "the CrumbHub session is not running"));
            return false;
        }
        return true;
    }

    /**
     * A NOTICE from the gateway. In the control channel it comes from {@link #CONTROL_SOURCE}, a
     * full nick!user@host as from a user (clients such as ii file a server's notices under the
     * server, not the channel); '*' is in no CrumbHub user name, so it is never a real user's.
     */
    IrcMessage notice(String target, String text) {
        return IrcMessage.of(target.equals(CONTROL) ? CONTROL_SOURCE : SERVER, "NOTICE", target, IrcText.oneLine(text));
    }

    /** A notice in the control channel, to the current client if there is one. Session thread or any. */
    void controlNotice(String text) {
        IrcConnection c = current;
        if (c != null) {
            c.send(notice(CONTROL, text));
        }
    }

    /** Session thread: a new client has joined nothing yet, and what an earlier one asked for is dropped. */
    private void forgetClient() {
        open.clear();
        untilReady.clear();
    }

    String nextBatch() {
        return "b" + (++batches);
    }

    // ---- session thread -----------------------------------------------------------------

    /**
     * Tells {@code connection} it joined every room the account is a member of (ready, or a new
     * client on a running engine), with each room's topic, names and recent history.
     */
    void joinRooms(IrcConnection connection) {
        List<crumbhub.wire.RoomInfo> rooms;
        try {
            rooms = engine.callNow(new Operation.ListRooms()).items();
        } catch (ClientException e) {
            if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            connection.send(notice(CONTROL, "cannot list your rooms: " + e.getMessage()));
            return;
        }
        for (var room : rooms) {
            if (room.status() == crumbhub.wire.RoomStatus.MEMBER && !open.contains(room.room())) {
                connection.sendAll(joinLines(connection, room.room()));
            } else if (room.status() != crumbhub.wire.RoomStatus.MEMBER) {
                connection.send(notice(CONTROL, "you are invited to #" + room.room() + ": /join #" + room.room()));
            }
        }
    }

    /** JOIN, topic, names and recent history of {@code room}, which is marked open. */
    List<IrcMessage> joinLines(IrcConnection connection, String room) {
        open.add(room);
        String channel = "#" + IrcText.token(room);
        var lines = new ArrayList<IrcMessage>();
        lines.add(IrcMessage.of(hostmask(me), "JOIN", channel));
        lines.addAll(HistoryReplay.topicLines(this, connection, room));
        lines.addAll(IncomingLines.names(this, channel, members(room)));
        lines.addAll(HistoryReplay.recent(this, connection, crumbhub.client.model.ConversationId.room(room),
                options.historyLines()));
        return lines;
    }

    /** The members of {@code room}, or just the user when they cannot be listed. */
    List<MemberInfo> members(String room) {
        try {
            return engine.callNow(new Operation.ListMembers(room)).items();
        } catch (ClientException e) {
            if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            return List.of(new MemberInfo(me, MemberRole.MEMBER));
        }
    }

    /** The engine's events, on the session thread. */
    private final class Events implements SessionEngine.Listener {
        private boolean wasConnected;

        @Override
        public void connectionChanged(ConnectionState state) {
            switch (state) {
                case ConnectionState.Connected c -> {
                    wasConnected = true;
                    controlNotice("connected to the CrumbHub server");
                }
                case ConnectionState.Offline o -> {
                    if (wasConnected || o.retryAt().isEmpty()) {
                        controlNotice("offline: " + o.reason() + (o.retryAt().isPresent() ? " (retrying)" : ""));
                    }
                    wasConnected = false;
                }
                case ConnectionState.Connecting c -> { }
            }
        }

        @Override
        public void ready() {
            IrcConnection c = current;
            if (c != null) {
                joinRooms(c);
                ControlChannel.pendingDevices(Gateway.this, c);
            }
            while (!untilReady.isEmpty() && engine != null && engine.connected()) {
                untilReady.poll().run();
            }
        }

        @Override
        public void received(List<IncomingMessage> batch) {
            IrcConnection c = current;
            if (c == null || c.isClosed()) {
                throw ClientException.network("no IRC client is connected: the messages stay on the server", null);
            }
            var lines = new ArrayList<IrcMessage>();
            for (IncomingMessage in : batch) {
                String room = IncomingLines.room(in);
                if (room != null && !open.contains(room)) {
                    lines.addAll(joinLines(c, room)); // before the batch is recorded: no line twice
                }
            }
            if (history != null) {
                history.received(batch); // recorded before written, as the daemon does
            }
            for (IncomingMessage in : batch) {
                lines.addAll(IncomingLines.of(Gateway.this, in));
            }
            if (!c.sendAll(lines)) {
                // not written, so not acknowledged: the next client gets them again
                throw ClientException.network("the IRC client went away before seq "
                        + Long.toUnsignedString(batch.getFirst().seq()), null);
            }
        }

        @Override
        public void sent(OutgoingMessage message, long seq, Instant time) {
            if (history != null) {
                history.sent(message, seq, time);
            }
            Sent s = sends.remove(message.id());
            if (s == null) {
                return;
            }
            boolean topic = message.text().kind() == MessageText.Kind.TOPIC;
            if (topic || s.connection().has("echo-message")) {
                var lines = IncomingLines.message(Gateway.this, me, message.target(), message.text(), time, message.id().toString(), Map.of());
                if (!topic && message.target() instanceof Target.Direct) {
                    lines = lines.stream().map(l -> new IrcMessage(l.tags(), l.source(), l.command(),
                            List.of(s.target(), l.param(1)))).toList();
                }
                s.connection().sendAll(lines);
            }
        }

        @Override
        public void notSent(OutgoingMessage message, Failure why) {
            Sent s = sends.remove(message.id());
            if (s != null) {
                s.connection().numeric("404", s.target(), "Cannot send to " + s.target() + ": " + why.message());
            }
        }

        @Override
        public void warning(String text) {
            controlNotice("warning: " + text);
        }

        @Override
        public void stopped(ClientException why) {
            IrcConnection c = current;
            if (c != null && !c.isClosed()) {
                c.send(notice(CONTROL, "the CrumbHub session stopped: " + why.getMessage()));
                c.close("CrumbHub session stopped: " + why.getMessage());
            }
        }
    }
}
