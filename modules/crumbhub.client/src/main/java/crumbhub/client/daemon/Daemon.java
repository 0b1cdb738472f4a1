package crumbhub.client.daemon;

import crumbhub.client.ClientException;
import crumbhub.client.chat.Failure;
import crumbhub.client.chat.HistoryRecorder;
import crumbhub.client.chat.IncomingMessage;
import crumbhub.client.chat.Interactions;
import crumbhub.client.chat.OutgoingMessage;
import crumbhub.client.chat.Requests;
import crumbhub.client.chat.SessionEngine;
import crumbhub.client.e2e.AccountDevices;
import crumbhub.client.format.MessageFormat;
import crumbhub.client.format.MessageText;
import crumbhub.client.format.ReceivedMessage;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.ops.Operation;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code crumbhub-client daemon --json}: a long-running session for bots. Requests are JSON lines
 * on standard input, replies and events JSON lines on standard output (docs/bots.md):
 *
 * <pre>
 *   → {"id":1,"op":"send","to":"#dev","text":"hi"}
 *   ← {"id":1,"ok":true,"msgid":"9f0c…","seq":42,"ts":"2026-11-26T09:00:00.123Z"}
 *   ← {"event":"message","room":"#dev","from":"alice","text":"hello","id":"…","ts":"…","seq":43,"device":1}
 * </pre>
 *
 * Every request line gets exactly one reply with its {@code id}, possibly out of order (a send
 * is answered when the server has stored it, a ping at once). A line that is not a valid request
 * gets an error reply and the daemon goes on. At the end of input it finishes what is pending
 * (waiting for the connection up to {@link #DRAIN}) and exits 0, or 3 if something could not be
 * finished. Messages are printed, then the printed position is stored, then acknowledged, as
 * {@code listen} does: across clean restarts each is printed once; a {@code kill -9} between the
 * printing and the storing prints that last batch again, with the same ids (docs/bots.md).
 *
 * <p>Threads: a reader thread parses lines; the engine's session thread runs requests and prints
 * replies and events; output lines are written whole, one at a time.
 */
public final class Daemon {
    /** Longest request line: a 60,000-byte message escaped as JSON fits with room to spare. */
    public static final int MAX_LINE = 256 * 1024;
    /** How long the end of input waits for pending work (and for the connection to come back). */
    public static final Duration DRAIN = Duration.ofSeconds(30);
    static final String TOO_LONG = "too_long";

    /** Output lines, written whole and flushed; remembers a failed write. */
    private static final class Output {
        private final PrintStream out;

        Output(PrintStream out) {
            this.out = out;
        }

        synchronized boolean line(String json) {
            out.print(json);
            out.print('\n');
            out.flush();
            return !out.checkError();
        }
    }

    private final Output out;
    private final HistoryRecorder history;
    private final SessionEngine engine;
    private final Requests requests;
    private final Clock clock;
    private final SecureRandom rng;
    private final Duration drain;
    private final AtomicLong serials = new AtomicLong();
    /** Requests without a reply yet: serial → the id to echo. */
    private final Map<Long, String> outstanding = new ConcurrentHashMap<>();
    /** Session thread: which request sent which message. */
    private final Map<MessageId, Long> sends = new HashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Runnable beforeClose = () -> { };
    private volatile ClientException fatal;

    /** A daemon that records nothing in a history (tests of the protocol alone). */
    public Daemon(PrintStream stdout, Clock clock, SecureRandom rng, Duration drain,
                  Function<SessionEngine.Listener, SessionEngine> engines) {
        this(stdout, clock, rng, drain, null, engines);
    }

    /**
     * @param history records what the daemon receives and sends (on the session thread), or null
     * @param engines makes the engine, given the daemon's listener
     */
    public Daemon(PrintStream stdout, Clock clock, SecureRandom rng, Duration drain, HistoryRecorder history,
                  Function<SessionEngine.Listener, SessionEngine> engines) {
        this.history = history;
        this.out = new Output(stdout);
        this.clock = clock;
        this.rng = rng;
        this.drain = drain;
        this.engine = engines.apply(new Events());
        this.requests = new Requests(engine);
    }

    /** The engine (for work that shares its connection: the history backup's requests). */
    public SessionEngine engine() {
        return engine;
    }

    /**
     * Runs {@code task} on the thread of {@link #run} once the input ended and pending work was
     * finished, before the connection closes (the history backup uploads what is left). Not run
     * after {@link #shutdown} or a fatal failure.
     */
    public void beforeClose(Runnable task) {
        this.beforeClose = task;
    }

    /** {"event":"warning","message":…} from any thread: one sentence for the program reading the daemon. */
    public void warn(String text) {
        out.line(new JsonOut().put("event", "warning").put("message", text).toString());
    }

    /**
     * Runs until the end of {@code in} (then finishes pending work) or until the session cannot
     * go on. Returns the exit code: 0, 3 (work left unfinished), or the failure's code.
     */
    public int run(InputStream in) throws InterruptedException {
        var input = new LineInput(in, MAX_LINE);
        Thread.ofPlatform().name("crumbhub-daemon-input").daemon().start(() -> {
            try {
                for (var line = input.next(); !(line instanceof LineInput.Line.End); line = input.next()) {
                    accept(line);
                }
            } catch (IOException e) {
                out.line(new JsonOut().put("event", "error").put("error", "input")
                        .put("message", "cannot read standard input: " + e.getMessage()).toString());
            } finally {
                stop.countDown();
            }
        });
        engine.start();
        stop.await();
        int code = 0;
        if (fatal == null) {
            try {
                code = engine.drain(drain).get() ? 0 : ClientException.Kind.NETWORK.exitCode();
            } catch (ExecutionException e) {
                code = ClientException.Kind.NETWORK.exitCode();
            }
            beforeClose.run();
        }
        engine.close();
        for (var unfinished : List.copyOf(outstanding.keySet())) {
            error(unfinished, Failure.OFFLINE, "not finished before the daemon stopped");
        }
        return fatal != null ? fatal.kind().exitCode() : code;
    }

    /** Stops at once (SIGTERM): the message being handled finishes, the rest is left for next time. */
    public void shutdown() {
        engine.close();
    }

    /** Reader thread: one line. */
    private void accept(LineInput.Line line) {
        switch (line) {
            case LineInput.Line.TooLong t -> reply("null", failure(TOO_LONG,
                    "a request line of " + t.bytes() + " bytes; at most " + MAX_LINE));
            case LineInput.Line.NotUtf8 n -> reply("null", failure(Request.PARSE_ERROR, "the line is not UTF-8"));
            case LineInput.Line.End end -> {
                // handled by the caller
            }
            case LineInput.Line.Text text -> {
                if (text.text().isBlank()) {
                    return;
                }
                Object parsed;
                try {
                    parsed = JsonReader.parse(text.text());
                } catch (JsonReader.JsonException e) {
                    reply("null", failure(Request.PARSE_ERROR, "not JSON: " + e.getMessage()));
                    return;
                }
                String id = Request.idOf(parsed);
                long serial = serials.incrementAndGet();
                outstanding.put(serial, id);
                try {
                    Request request = Request.decode(parsed);
                    if (!engine.execute(() -> perform(serial, request))) {
                        error(serial, Failure.STOPPED, "the daemon is stopping");
                    }
                } catch (Request.Invalid e) {
                    error(serial, e.code, e.getMessage());
                }
            }
        }
    }

    /** Session thread. */
    private void perform(long serial, Request request) {
        switch (request) {
            case Request.Ping ping -> ok(serial, new JsonOut().put("connected", engine.connected()));
            case Request.Run run -> run(serial, run.operation());
        }
    }

    /** Session thread: one client operation, answered when its result (or failure) is known. */
    private void run(long serial, Operation.Common operation) {
        switch (operation) {
            case Operation.Send send -> {
                var message = new OutgoingMessage(MessageId.random(rng), send.to(), send.text(), clock.instant());
                sends.put(message.id(), serial);
                engine.send(message);
            }
            case Operation.Interact interact -> {
                // the conversation of the message it refers to, from the history (docs/bots.md)
                if (history == null) {
                    error(serial, Request.INVALID, "this daemon keeps no history, so it cannot find message "
                            + interact.interaction().to());
                    return;
                }
                Target to;
                try {
                    to = Interactions.resolve(history.store(), history.me(), interact.to(), interact.interaction());
                } catch (ClientException e) {
                    error(serial, Request.INVALID, e.getMessage());
                    return;
                }
                var message = new OutgoingMessage(MessageId.random(rng), to, MessageText.text(interact.text()),
                        clock.instant(), interact.interaction());
                sends.put(message.id(), serial);
                engine.send(message);
            }
            case Operation.JoinRoom join -> requests.joinOrCreate(join, (joined, f) -> answer(serial, f,
                    () -> new JsonOut().put("room", "#" + join.room()).put("created", joined == Requests.Joined.CREATED)));
            case Operation.LeaveRoom leave -> requests.call(leave, (r, f) -> answer(serial, f, JsonOut::new));
            case Operation.Invite invite -> requests.call(invite, (r, f) -> answer(serial, f, JsonOut::new));
            case Operation.Kick kick -> requests.call(kick, (r, f) -> answer(serial, f, JsonOut::new));
            case Operation.ListRooms rooms -> requests.call(rooms, (list, f) -> answer(serial, f,
                    () -> new JsonOut().put("rooms", roomList(list.items()))));
            case Operation.ListMembers members -> requests.call(members, (list, f) -> answer(serial, f,
                    () -> new JsonOut().put("room", "#" + members.room()).put("members", memberList(list.items()))));
            case Operation.ListDevices devices -> requests.devices((list, f) -> answer(serial, f,
                    () -> new JsonOut().put("devices", deviceList(list))));
            case Operation.Verify verify -> engine.verify(verify.user(), verify.confirm(), (v, f) -> answer(serial, f,
                    () -> new JsonOut().put("user", v.user())
                            .put("safety_number", String.join(" ", v.number().displayText().split("\\s+")))
                            .put("verified", v.verified()).put("changed", v.changedSinceVerified())));
        }
    }

    private void answer(long serial, Failure failure, java.util.function.Supplier<JsonOut> success) {
        if (failure != null) {
            error(serial, failure.code(), failure.message());
        } else {
            ok(serial, success.get());
        }
    }

    private static List<JsonOut> roomList(List<RoomInfo> rooms) {
        var out = new ArrayList<JsonOut>();
        for (RoomInfo r : rooms) {
            out.add(new JsonOut().put("room", "#" + r.room()).put("status", r.status().name().toLowerCase(Locale.ROOT))
                    .put("members", r.members()));
        }
        return out;
    }

    private static List<JsonOut> memberList(List<MemberInfo> members) {
        var out = new ArrayList<JsonOut>();
        for (MemberInfo m : members) {
            out.add(new JsonOut().put("user", m.user()).put("role", m.role().name().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** Each device with its state, as {@code devices} prints it; a revoked device the server no longer lists has only id and state. */
    private static List<JsonOut> deviceList(AccountDevices devices) {
        var out = new ArrayList<JsonOut>();
        for (AccountDevices.Row row : devices.rows()) {
            var json = new JsonOut().put("id", row.id());
            if (row.listed().isPresent()) {
                DeviceInfo d = row.listed().get();
                json.put("name", d.name())
                        .put("created", MessageFormat.isoUtc(Instant.ofEpochMilli(d.createdMs())))
                        .put("last_seen", MessageFormat.isoUtc(Instant.ofEpochMilli(d.lastSeenMs())))
                        .put("current", d.current());
            }
            out.add(json.put("state", row.stateName()));
        }
        return out;
    }

    private void ok(long serial, JsonOut fields) {
        String id = outstanding.remove(serial);
        if (id != null) {
            out.line("{\"id\":" + id + ",\"ok\":true" + tail(fields));
        }
    }

    /** The members of {@code fields} after the leading ones, as ",a:b…}" (or "}" if none). */
    private static String tail(JsonOut fields) {
        String s = fields.toString();
        return s.equals("{}") ? "}" : "," + s.substring(1);
    }

    private void error(long serial, String code, String message) {
        String id = outstanding.remove(serial);
        if (id != null) {
            reply(id, failure(code, message));
        }
    }

    /** An error reply: {"id":…,"ok":false,"error":…,"message":…}. */
    private void reply(String id, JsonOut failure) {
        out.line("{\"id\":" + id + "," + failure.toString().substring(1));
    }

    private static JsonOut failure(String code, String message) {
        return new JsonOut().put("ok", false).put("error", code).put("message", message);
    }

    /** The engine's events, on the session thread. */
    private final class Events implements SessionEngine.Listener {
        @Override
        public void connectionChanged(ConnectionState state) {
            var event = new JsonOut().put("event", "connection");
            switch (state) {
                case ConnectionState.Connected c -> event.put("state", "connected");
                case ConnectionState.Connecting c -> event.put("state", "connecting").put("attempt", c.attempt());
                case ConnectionState.Offline o -> {
                    event.put("state", "offline").put("reason", o.reason());
                    o.retryAt().ifPresent(at -> event.put("retry_ms",
                            Math.max(0, Duration.between(clock.instant(), at).toMillis())));
                }
            }
            out.line(event.toString());
        }

        @Override
        public void received(List<IncomingMessage> batch) {
            // recorded before printed, as the chat does; an edit or delete not by the author is a warning
            Map<IncomingMessage.Message, String> dropped = history == null ? Map.of() : history.received(batch);
            for (IncomingMessage in : batch) {
                String line = switch (in) {
                    case IncomingMessage.Message m when dropped.containsKey(m) -> new JsonOut().put("event", "warning")
                            .put("message", dropped.get(m)).toString();
                    case IncomingMessage.Message m -> crumbhub.client.format.FileFormat.offer(m.text())
                            .map(text -> "{\"event\":\"file\"," + MessageFormat.json(new ReceivedMessage(m.conversation(),
                                    m.from(), m.device(), m.seq(), m.time(), m.id().toBytes(), text)).substring(1))
                            .orElseGet(() -> "{\"event\":\"message\"," + MessageFormat.json(new ReceivedMessage(
                            m.conversation(), m.from(), m.device(), m.seq(), m.time(), m.id().toBytes(),
                            m.interaction() == null || m.interaction() instanceof crumbhub.client.message.Interaction.Reply
                                    ? m.text().encode() : m.text().text(), null, m.interaction())).substring(1));
                    case IncomingMessage.Membership m -> {
                        var e = m.event();
                        yield "{\"event\":\"member\"," + MessageFormat.memberJson(e.room(), e.action(), e.by(), e.user(),
                                e.members(), e.newOwner(), e.time(), e.id(), e.seq(), e.text()).substring(1);
                    }
                    case IncomingMessage.Unreadable u -> new JsonOut().put("event", "unreadable")
                            .put("room", u.conversation().display()).put("from", u.from()).put("id", u.id().toString())
                            .put("ts", MessageFormat.isoUtc(u.time())).put("seq", u.seq()).put("reason", u.reason())
                            .toString();
                };
                if (!out.line(line)) {
                    // not printed, so neither stored as printed nor acknowledged: the next run prints it
                    throw ClientException.store("cannot write to standard output (closed?); stopped before seq "
                            + Long.toUnsignedString(in.seq()));
                }
            }
        }

        @Override
        public void sent(OutgoingMessage message, long seq, Instant time) {
            if (history != null) {
                history.sent(message, seq, time);
            }
            Long serial = sends.remove(message.id());
            if (serial != null) {
                ok(serial, new JsonOut().put("msgid", message.id().toString()).put("seq", seq)
                        .put("ts", MessageFormat.isoUtc(time)));
            }
        }

        @Override
        public void notSent(OutgoingMessage message, Failure why) {
            Long serial = sends.remove(message.id());
            if (serial != null) {
                error(serial, why.code(), why.message());
            }
        }

        /** {"event":"warning","message":…}: a changed account identity, a pending own device, a skipped device. */
        @Override
        public void warning(String text) {
            warn(text);
        }

        @Override
        public void stopped(ClientException why) {
            fatal = why;
            out.line(new JsonOut().put("event", "stopped").put("error", why.kind().name().toLowerCase(Locale.ROOT))
                    .put("message", why.getMessage()).toString());
            stop.countDown();
        }
    }
}
