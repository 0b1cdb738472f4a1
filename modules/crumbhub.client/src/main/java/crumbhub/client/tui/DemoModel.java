package crumbhub.client.tui;

import crumbhub.client.format.MessageText;
import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ChatModel;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.model.Verification;
import crumbhub.client.ops.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * An in-memory stand-in for the session, for tests, the performance program and trying the UI
 * without a server ({@code crumbhub-client chat --demo} once wired): a few rooms with members and
 * history, and a peer {@code @alice} who answers direct messages. It answers every action at
 * once, on the calling (UI) thread, and records the actions it was given.
 *
 * <p>{@link #goOffline} and {@link #reconnect} simulate a lost connection: messages sent while
 * offline stay pending until the reconnect delivers them. {@link #incoming}, {@link #goOffline}
 * and {@link #reconnect} may be called from any thread, like a session's network thread.
 */
public final class DemoModel implements ChatModel {
    private static final String SERVER = "demo.crumbhub.invalid:5555";
    private static final String[] PEOPLE = {"alice", "bob", "carol", "dave", "eve_k"};
    private static final String[] WORDS = ("the a key server room message encrypted ratchet ping latency bench "
            + "deploy green red merge build coffee lunch later today yes no maybe tested works broken fixed "
            + "日本語 😀 ok looks good to you").split(" ");

    private final String user;
    private final Clock clock;
    private final int historyPerRoom;
    private final List<UserAction> actions = new ArrayList<>();
    private final Map<String, ChatMessage> pending = new LinkedHashMap<>();
    private ChatView view;
    private volatile boolean online = true;
    private long ids;

    /**
     * @param user the demo user's name
     * @param historyPerRoom messages of history in {@code #general} (the other rooms get a few)
     */
    public DemoModel(String user, Clock clock, int historyPerRoom) {
        this.user = user;
        this.clock = clock;
        this.historyPerRoom = historyPerRoom;
    }

    /** The actions performed so far, in order. */
    public synchronized List<UserAction> actions() {
        return List.copyOf(actions);
    }

    @Override
    public void attach(ChatView chatView) {
        view = chatView;
        view.post(new UiEvent.SessionInfo(SERVER, user));
        view.post(new UiEvent.ConnectionChanged(new ConnectionState.Connecting(1)));
        view.post(new UiEvent.ConnectionChanged(new ConnectionState.Connected()));
        var general = ConversationId.room("general");
        var random = ConversationId.room("random");
        var alice = ConversationId.direct("alice");
        view.post(new UiEvent.ConversationOpened(general, true));
        view.post(new UiEvent.ConversationOpened(random, false));
        view.post(new UiEvent.ConversationOpened(alice, false));
        var members = new ArrayList<>(List.of(PEOPLE));
        members.add(user);
        view.post(new UiEvent.MembersChanged(general, members, false));
        view.post(new UiEvent.MembersChanged(random, List.of("bob", "carol", user), false));
        view.post(new UiEvent.TopicChanged(general, "Welcome to CrumbHub: be kind, stay encrypted"));
        view.post(new UiEvent.VerificationChanged(alice, Verification.UNVERIFIED));
        history(general, historyPerRoom, new Random(1));
        history(random, 5, new Random(2));
        history(alice, 3, new Random(3));
    }

    /** Posts {@code count} messages ending a minute ago, a minute or so apart (two days for 3000). */
    private void history(ConversationId where, int count, Random random) {
        Instant end = clock.instant().minus(Duration.ofMinutes(1));
        for (int i = count; i > 0; i--) {
            String from = where.isDirect() && i % 2 == 0 ? user : where.isDirect() ? where.name()
                    : PEOPLE[random.nextInt(PEOPLE.length)];
            var words = new StringBuilder();
            int n = 2 + random.nextInt(random.nextInt(10) == 0 ? 60 : 12);
            for (int k = 0; k < n; k++) {
                words.append(k == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            var kind = random.nextInt(25) == 0 ? ChatMessage.Kind.ACTION : ChatMessage.Kind.TEXT;
            view.post(new UiEvent.MessageReceived(new ChatMessage(nextId(), where, from,
                    end.minus(Duration.ofSeconds(i * 57L)), words.toString(), kind, false)));
        }
    }

    private synchronized String nextId() {
        return "demo-" + (++ids);
    }

    /** Another user writes in a conversation (for tests and the demo's background chatter). */
    public synchronized void incoming(ConversationId where, String from, String text) {
        view.post(new UiEvent.MessageReceived(ChatMessage.text(nextId(), where, from, clock.instant(), text)));
    }

    /** The connection drops; the next attempt is planned {@code retryIn} from now. */
    public synchronized void goOffline(String reason, Duration retryIn) {
        online = false;
        view.post(new UiEvent.ConnectionChanged(
                new ConnectionState.Offline(Optional.of(clock.instant().plus(retryIn)), reason)));
    }

    /** The connection is back; pending messages are delivered. */
    public synchronized void reconnect() {
        online = true;
        view.post(new UiEvent.ConnectionChanged(new ConnectionState.Connecting(2)));
        view.post(new UiEvent.ConnectionChanged(new ConnectionState.Connected()));
        for (ChatMessage m : pending.values()) {
            view.post(new UiEvent.MessageDelivered(m.conversation(), m.id()));
        }
        pending.clear();
    }

    @Override
    public void perform(UserAction action) {
        synchronized (this) {
            actions.add(action);
        }
        switch (action) {
            case UserAction.SendText send -> own(send.conversation(), send.text(), ChatMessage.Kind.TEXT);
            case UserAction.Me me -> own(me.conversation(), me.text(), ChatMessage.Kind.ACTION);
            case UserAction.Msg msg -> {
                view.post(new UiEvent.ConversationOpened(ConversationId.direct(msg.user()), false));
                own(ConversationId.direct(msg.user()), msg.text(), ChatMessage.Kind.TEXT);
            }
            case UserAction.SetTopic topic -> view.post(new UiEvent.TopicChanged(topic.room(), topic.topic()));
            case UserAction.Run run -> run(run.operation());
            case UserAction.Search search -> view.post(new UiEvent.SearchResults(search.text(), List.of()));
            case UserAction.LoadOlder older -> view.post(new UiEvent.OlderLoaded(older.conversation(), List.of(), false));
            case UserAction.Quit quit -> {
                // nothing to flush in memory
            }
        }
    }

    private void run(Operation.Common operation) {
        switch (operation) {
            case Operation.Send send -> own(ConversationId.of(send.to()), send.text().text(),
                    send.text().kind() == MessageText.Kind.ACTION ? ChatMessage.Kind.ACTION : ChatMessage.Kind.TEXT);
            case Operation.Interact interact -> view.post(new UiEvent.InfoLine(Optional.empty(),
                    "the demo has no history: a " + interact.interaction().label() + " needs a real session"));
            case Operation.JoinRoom join -> {
                var room = ConversationId.room(join.room());
                view.post(new UiEvent.ConversationOpened(room, true));
                view.post(new UiEvent.MembersChanged(room, List.of(user), false));
                view.post(new UiEvent.InfoLine(Optional.of(room), "you joined " + room.label()));
            }
            case Operation.LeaveRoom leave -> view.post(new UiEvent.ConversationClosed(ConversationId.room(leave.room())));
            case Operation.ListMembers who -> view.post(new UiEvent.MembersChanged(ConversationId.room(who.room()),
                    List.of(PEOPLE).subList(0, 3), true));
            case Operation.ListRooms rooms -> {
                view.post(new UiEvent.InfoLine(Optional.empty(), "rooms: #general (6 members), #random (3 members)"));
            }
            case Operation.Invite invite -> {
                var room = ConversationId.room(invite.room());
                view.post(new UiEvent.InfoLine(Optional.of(room), "invited " + invite.user() + " to " + room.label()));
            }
            case Operation.Kick kick -> {
                var room = ConversationId.room(kick.room());
                view.post(new UiEvent.InfoLine(Optional.of(room), kick.user() + " was removed from " + room.label()));
            }
            case Operation.Verify verify -> {
                var peer = ConversationId.direct(verify.user());
                view.post(new UiEvent.InfoLine(Optional.of(peer),
                        "demo safety number with " + verify.user() + ": 05213 88172 90023 11874 63001 47219"));
                if (verify.confirm()) {
                    view.post(new UiEvent.VerificationChanged(peer, Verification.VERIFIED));
                }
            }
            case Operation.ListDevices devices -> view.post(new UiEvent.InfoLine(Optional.empty(),
                    "devices: this one (demo)"));
        }
    }

    private synchronized void own(ConversationId where, String text, ChatMessage.Kind kind) {
        var message = new ChatMessage(nextId(), where, user, clock.instant(), text, kind, !online);
        view.post(new UiEvent.MessageReceived(message));
        if (!online) {
            pending.put(message.id(), message);
        } else if (where.isDirect() && kind == ChatMessage.Kind.TEXT) {
            view.post(new UiEvent.MessageReceived(ChatMessage.text(nextId(), where, where.name(), clock.instant(),
                    "you said: " + text)));
        }
    }
}
