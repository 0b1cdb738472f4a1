package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.backup.HistoryTap;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.SealedBody;
import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ChatModel;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.model.Verification;
import crumbhub.client.ops.Operation;
import crumbhub.wire.MessageId;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The chat's session: {@link ChatModel} for the terminal UI on top of a {@link SessionEngine},
 * with the conversation history kept in the encrypted {@link HistoryStore}.
 *
 * <ul>
 * <li>At start the history is read back (on the session thread) and shown; messages that were
 *     still pending when the chat last closed are sent again with their original ids.
 * <li>A typed message is shown at once as pending, written to the history (so it survives a
 *     crash or a quit while offline), queued, and marked sent when the server stores it.
 * <li>Deliveries are written to the history, shown, then acknowledged.
 * <li>Commands become requests; their answers and failures are info and error lines.
 * <li>Everything sent and received is end-to-end encrypted by the engine's {@link E2eClient};
 *     {@code /verify} shows its safety number, and its warnings (a changed identity key) are
 *     error lines.
 * </ul>
 *
 * <p>Threads: {@link #attach} and {@link #perform} run on the UI thread and only post events and
 * hand work to the session thread; everything else here runs on the session thread.
 */
public final class ChatSession implements ChatModel {
    /** Lines per conversation read back at start; older ones come when scrolling back. */
    static final int INITIAL_LINES = 1000;
    /** Lines read per step when scrolling back past what is shown. */
    static final int OLDER_PAGE = 500;
    /** Most lines read back to reach a search result (further back: {@code crumbhub-client history}). */
    static final int JUMP_LINES = 200_000;
    /** Results shown by {@code /search}. */
    static final int SEARCH_RESULTS = 50;

    private final String server;
    private final String me;
    private final HistoryStore history;
    private final Clock clock;
    private final SecureRandom rng;
    private final SessionEngine engine;
    private final Requests requests;
    private final RoomWatch rooms;
    private volatile ChatView view;
    /** Where stored lines also go (the history backup); set before {@link #attach}. */
    private volatile HistoryTap tap = HistoryTap.NONE;
    /** Session thread: per conversation, where the lines older than those shown start ({@link HistoryStore.Page#before}). */
    private final Map<ConversationId, Long> olderThan = new java.util.HashMap<>();
    /** Mirrors the connection for the UI thread: a line typed while offline is shown as pending. */
    private volatile boolean online;

    /**
     * @param engines makes the engine, given this session as its listener
     * @param history the account's history; closed by {@link #close}
     */
    public ChatSession(String server, String me, HistoryStore history, Clock clock, SecureRandom rng,
                       Function<SessionEngine.Listener, SessionEngine> engines) {
        this.server = server;
        this.me = me;
        this.history = history;
        this.clock = clock;
        this.rng = rng;
        var listener = new EngineEvents();
        this.engine = engines.apply(listener);
        this.requests = new Requests(engine);
        this.rooms = new RoomWatch(me, requests, this::post);
    }

    /**
     * Reports every line this session stores in its history to {@code tap} too (the account history
     * backup, docs/client.md "History backup"). Call before {@link #attach}.
     */
    public void tap(HistoryTap historyTap) {
        tap = historyTap;
    }

    /** A warning from another part of the session (the history backup), shown inline in red. Any thread. */
    public void warn(String text) {
        post(new UiEvent.ErrorLine(Optional.empty(), text));
    }

    /**
     * Lines restored from the history backup (called on the backup's thread): stored in the history
     * on the session thread, then shown in their conversations (one the user left stays closed).
     * Blocks the caller until they are stored. They are not reported to the {@link #tap}: they are
     * in the backup already.
     */
    public void restored(Map<ConversationId, List<HistoryRecord>> lines) {
        var stored = new CompletableFuture<Void>();
        boolean queued = engine.execute(() -> {
            try {
                lines.forEach(history::append);
                lines.forEach((where, records) -> {
                    if (!records.isEmpty() && records.getLast().kind() != HistoryRecord.Kind.LEFT) {
                        var shown = ChatLines.lines(records, where);
                        post(new UiEvent.HistoryLoaded(where, shown)); // added to the scrollback, by time
                    }
                });
                stored.complete(null);
            } catch (RuntimeException e) {
                stored.completeExceptionally(e);
                throw e;
            }
        });
        if (!queued) {
            throw ClientException.store("the chat session has stopped; the restored history was not stored");
        }
        try {
            stored.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.store("interrupted while storing the restored history", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ClientException c ? c
                    : ClientException.store("cannot store the restored history: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void attach(ChatView chatView) {
        view = chatView;
        post(new UiEvent.SessionInfo(server, me));
        engine.execute(this::loadHistory);
        engine.start();
        // no polling: the room list is read at each connection and again when the server pushes a
        // membership change (MEMBERSHIP_CHANGED, docs/protocol.md)
    }

    @Override
    public void perform(UserAction action) {
        switch (action) {
            case UserAction.SendText send -> send(send.conversation(), send.message());
            case UserAction.Me me -> send(me.conversation(), me.message());
            case UserAction.Msg msg -> {
                post(new UiEvent.ConversationOpened(msg.conversation(), false));
                send(msg.conversation(), msg.message());
            }
            case UserAction.SetTopic topic -> {
                post(new UiEvent.TopicChanged(topic.room(), topic.topic()));
                send(topic.room(), topic.message());
            }
            case UserAction.Run run -> run(run.operation());
            case UserAction.Search search -> engine.execute(() -> search(search.text()));
            case UserAction.LoadOlder older -> engine.execute(() -> loadOlder(older.conversation(), older.until()));
            case UserAction.Quit quit -> {
                // the command closes the session once the UI is down: close(grace)
            }
        }
    }

    /** UI thread: a client operation; its answer and failures come back as info and error lines. */
    private void run(Operation.Common operation) {
        switch (operation) {
            case Operation.Send send -> send(ConversationId.of(send.to()), send.text());
            case Operation.Interact interact -> engine.execute(() -> interact(interact));
            case Operation.JoinRoom join -> engine.execute(() -> rooms.join(ConversationId.room(join.room()),
                    this::appendLocal));
            case Operation.LeaveRoom leave -> engine.execute(() -> rooms.leave(ConversationId.room(leave.room()),
                    this::appendLocal));
            case Operation.ListMembers who -> engine.execute(() -> rooms.who(ConversationId.room(who.room())));
            case Operation.ListRooms list -> engine.execute(rooms::list);
            case Operation.Invite invite -> engine.execute(() -> rooms.invite(ConversationId.room(invite.room()),
                    invite.user()));
            case Operation.Kick kick -> engine.execute(() -> rooms.kick(ConversationId.room(kick.room()), kick.user()));
            case Operation.Verify verify -> engine.verify(verify.user(), verify.confirm(),
                    (v, failure) -> verified(verify.user(), v, failure));
            case Operation.ListDevices devices -> engine.execute(rooms::devices);
        }
    }

    /**
     * Stops the session after the UI has gone: waits up to {@code grace} for messages in flight
     * (those still queued stay in the history as pending and are sent at the next start), then
     * disconnects. Blocks the calling thread.
     */
    public void close(Duration grace) throws InterruptedException {
        try {
            engine.drain(grace).get();
        } catch (java.util.concurrent.ExecutionException e) {
            // drain never fails; it completes with false on timeout
        }
        engine.close();
        history.close();
    }

    /** The engine, for the command that wires it (and tests). */
    SessionEngine engine() {
        return engine;
    }

    private void post(UiEvent event) {
        ChatView v = view;
        if (v != null) {
            v.post(event);
        }
    }

    /**
     * UI thread: show the message at once (marked pending if offline: it waits for the connection),
     * then the session thread stores it in the history as pending and queues it; the history
     * record becomes sent when the server has stored it.
     */
    private void send(ConversationId where, MessageText text) {
        int bytes = text.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > SealedBody.MAX_BODY) {
            post(new UiEvent.ErrorLine(Optional.of(where), "message too long: " + bytes + " bytes of UTF-8, at most "
                    + SealedBody.MAX_BODY + "; not sent"));
            return;
        }
        var message = new OutgoingMessage(MessageId.random(rng), Lines.target(where), text, clock.instant());
        var record = Lines.pending(message, me);
        if (text.kind() != MessageText.Kind.TOPIC) {
            post(new UiEvent.MessageReceived(Lines.line(record, where).asPending(!online)));
        }
        engine.execute(() -> {
            history.append(where, List.of(record));
            engine.send(message);
        });
    }

    /**
     * Session thread: a reply, reaction, edit or delete, sent to the conversation of the message it
     * refers to (docs/chat.md "Replies, reactions, edits and deletes"); shown once the server stored it.
     */
    private void interact(Operation.Interact op) {
        crumbhub.client.message.Target to;
        try {
            to = Interactions.resolve(history, me, op.to(), op.interaction());
        } catch (ClientException e) {
            post(new UiEvent.ErrorLine(Optional.empty(), e.getMessage()));
            return;
        }
        engine.send(new OutgoingMessage(MessageId.random(rng), to, MessageText.text(op.text()), clock.instant(),
                op.interaction()));
    }

    /**
     * Session thread: stores a reply, reaction, edit or delete from {@code from} ({@code me} for
     * one this device sent) if it may apply, and the events that show it: the reply's line, or the
     * new line of the message it changed; a warning line when it is dropped.
     */
    private void interaction(ConversationId where, String from, long device, long seq, Instant time, MessageId id,
                             String text, crumbhub.client.message.Interaction what, List<UiEvent> events) {
        if (what instanceof crumbhub.client.message.Interaction.Reply) {
            store(where, List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, id.toString(), from, seq, time, text, false,
                    device, null, what.to().toString())));
            ChatLines.current(history, where, id.toString()).ifPresent(l -> events.add(new UiEvent.MessageReceived(l)));
            return;
        }
        switch (Interactions.decide(history, where, from, device, seq, time, id, text, what)) {
            case Interactions.Verdict.Drop drop -> events.add(new UiEvent.ErrorLine(Optional.of(where), drop.warning()));
            case Interactions.Verdict.Apply apply -> {
                store(where, apply.records());
                if (apply.forget()) {
                    String deleted = what.to().toString();
                    history.rewrite(where, r -> r.kind() == HistoryRecord.Kind.EDIT && r.ref().equals(deleted));
                }
                ChatLines.current(history, where, what.to().toString())
                        .ifPresent(l -> events.add(new UiEvent.MessageReceived(l)));
            }
        }
    }

    /**
     * Session thread: the answer to {@code /verify}, as info lines in the current conversation
     * (the safety number, then what it means), and the peer's verification state for the
     * conversation header.
     */
    private void verified(String user, E2eClient.Verification v, Failure failure) {
        if (failure != null) {
            post(new UiEvent.ErrorLine(Optional.empty(), "/verify " + user + ": " + failure.message()));
            return;
        }
        post(new UiEvent.InfoLine(Optional.empty(), "safety number with " + user + ":"));
        for (String line : v.number().displayText().split("\n")) {
            post(new UiEvent.InfoLine(Optional.empty(), "  " + line));
        }
        Verification state;
        if (v.changedSinceVerified()) {
            state = Verification.CHANGED;
            post(new UiEvent.ErrorLine(Optional.empty(), user + " was verified, but their keys have CHANGED since:"
                    + " compare the number again, then /verify " + user + " confirm"));
        } else if (v.verified()) {
            state = Verification.VERIFIED;
            post(new UiEvent.InfoLine(Optional.empty(), user + " is verified"));
        } else {
            state = Verification.UNVERIFIED;
            post(new UiEvent.InfoLine(Optional.empty(), user + " is not verified: compare this number with " + user
                    + " in person or over a channel you trust, then /verify " + user + " confirm"));
        }
        post(new UiEvent.VerificationChanged(ConversationId.direct(user), state));
    }

    /** Session thread: a local line, stored and shown. */
    private void appendLocal(ConversationId where, HistoryRecord.Kind kind, String text) {
        var record = Lines.local(kind, "n-" + HexFormat.of().toHexDigits(rng.nextLong()), clock.instant(), text);
        store(where, List.of(record));
        post(new UiEvent.MessageReceived(Lines.line(record, where)));
    }

    /** Session thread: lines into the history, and to the tap (the history backup). */
    private void store(ConversationId where, List<HistoryRecord> records) {
        history.append(where, records);
        tap.recorded(where, records);
    }

    /** Session thread: {@code /search}, answered with the newest results. */
    private void search(String text) {
        List<ChatMessage> hits;
        try {
            hits = history.search(text, Optional.empty(), SEARCH_RESULTS).stream()
                    .map(f -> Lines.line(f.record(), f.conversation())).toList();
        } catch (ClientException e) {
            post(new UiEvent.ErrorLine(Optional.empty(), "/search: " + e.getMessage()));
            return;
        }
        post(new UiEvent.SearchResults(text, hits));
    }

    /**
     * Session thread: lines older than those shown, a page at a time, or (for a jump) back to the
     * message {@code until}, at most {@link #JUMP_LINES}.
     */
    private void loadOlder(ConversationId where, Optional<String> until) {
        long before = olderThan.getOrDefault(where, Long.MAX_VALUE);
        var lines = new ArrayList<ChatMessage>();
        boolean found = until.isEmpty();
        HistoryStore.Page page;
        do {
            page = history.page(where, before, OLDER_PAGE, r -> true);
            for (ChatMessage line : ChatLines.lines(page.records(), where)) {
                lines.add(line);
                found |= until.isPresent() && line.id().equals(until.get());
            }
            before = page.before();
        } while (!found && page.hasOlder() && lines.size() < JUMP_LINES);
        olderThan.put(where, before);
        post(new UiEvent.OlderLoaded(where, lines, page.hasOlder()));
    }

    /** Session thread, before the first connection: the history back on screen, pending messages queued again. */
    private void loadHistory() {
        var resend = new ArrayList<OutgoingMessage>();
        HistoryStore.Loaded latest = null;
        for (ConversationId id : history.conversations()) {
            HistoryStore.Page page = history.page(id, Long.MAX_VALUE, INITIAL_LINES, r -> true);
            olderThan.put(id, page.before());
            var loaded = new HistoryStore.Loaded(id, page.records(), page.damage());
            if (loaded.left()) {
                continue;
            }
            ConversationId where = loaded.conversation();
            var lines = new ArrayList<ChatMessage>(loaded.records().size());
            String topic = null;
            lines.addAll(ChatLines.lines(loaded.records(), where));
            for (HistoryRecord r : loaded.records()) {
                if (r.kind() == HistoryRecord.Kind.TOPIC) {
                    topic = r.text();
                }
                OutgoingMessage again = r.from().equals(me) ? Lines.resend(r, where) : null;
                if (again != null) {
                    resend.add(again);
                }
            }
            post(new UiEvent.HistoryLoaded(where, lines));
            if (topic != null) {
                post(new UiEvent.TopicChanged(where, topic));
            }
            loaded.damage().ifPresent(d -> post(new UiEvent.ErrorLine(Optional.of(where),
                    "the history of " + where.label() + " is damaged (" + d + "); the lines that could be read are shown")));
            if (where.isRoom()) {
                rooms.known(where);
            }
            if (!loaded.records().isEmpty() && (latest == null
                    || loaded.records().getLast().time().isAfter(latest.records().getLast().time()))) {
                latest = loaded;
            }
        }
        if (latest != null) {
            post(new UiEvent.ConversationOpened(latest.conversation(), true));
        }
        resend.sort(Comparator.comparing(OutgoingMessage::created));
        resend.forEach(engine::send);
    }

    /** The engine's events, on the session thread. */
    private final class EngineEvents implements SessionEngine.Listener {
        @Override
        public void connectionChanged(ConnectionState state) {
            online = state instanceof ConnectionState.Connected;
            post(new UiEvent.ConnectionChanged(state));
        }

        @Override
        public void ready() {
            rooms.refresh(true);
        }

        @Override
        public void membershipChanged(crumbhub.wire.MembershipFrame.MembershipChanged change) {
            rooms.refresh(true);
        }

        @Override
        public void received(List<IncomingMessage> batch) {
            Map<ConversationId, List<HistoryRecord>> byConversation = new LinkedHashMap<>();
            var events = new ArrayList<UiEvent>();
            for (IncomingMessage in : batch) {
                switch (in) {
                    case IncomingMessage.Message m when m.interaction() != null -> {
                        // in order: what came before in the batch is stored before the interaction is decided
                        byConversation.forEach(ChatSession.this::store);
                        byConversation.clear();
                        interaction(Lines.conversation(m.conversation()), m.from(), m.device(), m.seq(), m.time(), m.id(),
                                m.text().text(), m.interaction(), events);
                    }
                    case IncomingMessage.Message m -> {
                        ConversationId where = Lines.conversation(m.conversation());
                        HistoryRecord r = Lines.received(m);
                        byConversation.computeIfAbsent(where, k -> new ArrayList<>()).add(r);
                        if (m.text().kind() == MessageText.Kind.TOPIC) {
                            events.add(new UiEvent.TopicChanged(where, m.text().text()));
                        } else {
                            events.add(new UiEvent.MessageReceived(Lines.line(r, where)));
                        }
                        if (where.isRoom()) {
                            rooms.spoke(where, m.from());
                        }
                    }
                    case IncomingMessage.Membership m -> {
                        ConversationId where = Lines.conversation(m.conversation());
                        HistoryRecord r = Lines.local(HistoryRecord.Kind.NOTICE, "m-" + m.event().id(), m.event().time(),
                                m.event().text());
                        byConversation.computeIfAbsent(where, k -> new ArrayList<>()).add(r);
                        events.add(new UiEvent.MessageReceived(Lines.line(r, where)));
                    }
                    case IncomingMessage.Unreadable u -> {
                        ConversationId where = Lines.conversation(u.conversation());
                        HistoryRecord r = Lines.unreadable(u);
                        byConversation.computeIfAbsent(where, k -> new ArrayList<>()).add(r);
                        events.add(new UiEvent.MessageReceived(Lines.line(r, where)));
                    }
                }
            }
            // stored before shown, and shown before the engine acknowledges them
            byConversation.forEach(ChatSession.this::store);
            events.forEach(ChatSession.this::post);
        }

        @Override
        public void sent(OutgoingMessage message, long seq, Instant time) {
            ConversationId where = Lines.conversation(message.target());
            if (message.interaction() != null) {
                var events = new ArrayList<UiEvent>();
                interaction(where, me, 0, seq, time, message.id(), message.text().text(), message.interaction(), events);
                events.forEach(ChatSession.this::post);
                return;
            }
            store(where, List.of(Lines.pending(message, me).sent(seq, time)));
            post(new UiEvent.MessageDelivered(where, Lines.uiId(me, message.id().toString())));
        }

        @Override
        public void notSent(OutgoingMessage message, Failure why) {
            ConversationId where = Lines.conversation(message.target());
            HistoryRecord r = Lines.notSent(message, me, why);
            store(where, List.of(r));
            post(new UiEvent.MessageReceived(Lines.line(r, where)));
        }

        /** A changed identity key and the like: shown inline, in red, where the user is looking. */
        @Override
        public void warning(String text) {
            post(new UiEvent.ErrorLine(Optional.empty(), text));
        }

        @Override
        public void stopped(ClientException why) {
            post(new UiEvent.ErrorLine(Optional.of(ConversationId.STATUS), why.getMessage()
                    + (why.kind() == ClientException.Kind.LOCAL_STORE ? "" : " (the chat stays open, offline; /quit to leave)")));
        }
    }
}
