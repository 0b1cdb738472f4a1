package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import crumbhub.client.model.Verification;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChatSession} against the real server in-process: what the chat UI would be shown. */
class ChatSessionLoopbackTest {
    private static final ConversationId GENERAL = ConversationId.room("general");

    @TempDir
    Path tmp;
    private LiveServer server;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        server.register(tmp.resolve("alice"), "alice");
        server.register(tmp.resolve("bob"), "bob");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        server.close();
    }

    private Account account(String name) {
        var a = new Account(tmp.resolve(name));
        open.add(a);
        return a;
    }

    private ChatSession chat(Account a, RecordingView view) {
        var chat = a.chat(view);
        open.add(() -> chat.close(Duration.ofSeconds(1)));
        return chat;
    }

    /** alice owns #general, bob is in it. */
    private void roomWithBob() {
        server.run(tmp.resolve("alice"), "", "room", "create", "#general");
        server.run(tmp.resolve("alice"), "", "room", "invite", "#general", "bob");
        server.run(tmp.resolve("bob"), "", "room", "join", "#general");
    }

    @Test
    void aTypedMessageReachesTheOtherUserAndComesBackFromHistoryAfterARestart() throws Exception {
        roomWithBob();
        var aliceView = new RecordingView();
        var bobView = new RecordingView();
        var alice = chat(account("alice"), aliceView);
        var bobAccount = account("bob");
        var bob = bobAccount.chat(bobView);
        aliceView.awaitConnected();
        bobView.awaitConnected();
        bobView.await(UiEvent.ConversationOpened.class, e -> e.conversation().equals(GENERAL));
        bobView.await(UiEvent.MembersChanged.class, e -> e.members().containsAll(List.of("alice", "bob")));

        alice.perform(new UserAction.SendText(GENERAL, "hello bob ☃"));
        ChatMessage shown = aliceView.awaitMessage("alice", "hello bob ☃");
        assertThat(shown.pending()).as("shown at once; connected, so not marked as waiting").isFalse();
        aliceView.await(UiEvent.MessageDelivered.class, e -> e.messageId().equals(shown.id()));
        ChatMessage got = bobView.awaitMessage("alice", "hello bob ☃");
        assertThat(got.id()).isEqualTo(shown.id());
        assertThat(got.conversation()).isEqualTo(GENERAL);

        alice.perform(new UserAction.Me(GENERAL, "waves"));
        bobView.await(UiEvent.MessageReceived.class, e -> e.message().kind() == ChatMessage.Kind.ACTION
                && e.message().text().equals("waves"));
        alice.perform(new UserAction.SetTopic(GENERAL, "Be kind"));
        bobView.await(UiEvent.TopicChanged.class, e -> e.topic().equals("Be kind"));

        assertThat(bobView.events()).as("the room's sender key arrived as key material: neither shown nor an error")
                .noneMatch(e -> e instanceof UiEvent.ErrorLine)
                .noneMatch(e -> e instanceof UiEvent.MessageReceived m && m.message().kind() == ChatMessage.Kind.ERROR);

        bob.close(Duration.ofSeconds(1));
        var again = new RecordingView();
        chat(bobAccount, again);
        var history = again.await(UiEvent.HistoryLoaded.class, e -> e.conversation().equals(GENERAL));
        assertThat(history.messages()).extracting(ChatMessage::text)
                .containsExactly("hello bob ☃", "waves", "alice set the topic: Be kind");
        again.await(UiEvent.TopicChanged.class, e -> e.topic().equals("Be kind"));
        again.await(UiEvent.ConversationOpened.class, e -> e.conversation().equals(GENERAL) && e.focus());
        // nothing is delivered twice after the restart
        again.awaitConnected();
        // a message sent now arrives after anything the reconnect could have delivered again
        alice.perform(new UserAction.SendText(GENERAL, "after the restart"));
        again.awaitMessage("alice", "after the restart");
        assertThat(again.events()).filteredOn(e -> e instanceof UiEvent.MessageReceived m && m.message().fromSomeone())
                .extracting(e -> ((UiEvent.MessageReceived) e).message().text()).containsExactly("after the restart");
    }

    @Test
    void aMessageTypedOfflineIsPendingAndSentOnceWhenTheServerIsBack() throws Exception {
        roomWithBob();
        var view = new RecordingView();
        var alice = chat(account("alice"), view);
        view.awaitConnected();
        server.stop();
        view.await(UiEvent.ConnectionChanged.class, e -> e.state() instanceof ConnectionState.Offline);

        alice.perform(new UserAction.SendText(GENERAL, "typed while offline"));
        ChatMessage pending = view.awaitMessage("alice", "typed while offline");
        assertThat(pending.pending()).isTrue();
        // the engine goes on trying to reconnect with the message queued: still not delivered
        view.awaitFrom(view.count(), UiEvent.ConnectionChanged.class, e -> !(e.state() instanceof ConnectionState.Connected),
                Duration.ofSeconds(10));
        assertThat(view.events()).noneMatch(e -> e instanceof UiEvent.MessageDelivered);

        server.start();
        view.await(UiEvent.MessageDelivered.class, e -> e.messageId().equals(pending.id()), Duration.ofSeconds(15));
        String received = server.run(tmp.resolve("bob"), "", "listen", "--json", "--count", "1", "--timeout", "30");
        assertThat(received.lines()).hasSize(1);
        assertThat(received).contains("\"text\":\"typed while offline\"")
                .contains("\"id\":\"" + pending.id().substring("alice/".length()) + "\"");
        assertThat(server.run(tmp.resolve("bob"), "", "listen", "--json", "--timeout", "1")).as("a second copy").isEmpty();
    }

    @Test
    void aMessageStillPendingAtQuitIsSentAtTheNextStart() throws Exception {
        roomWithBob();
        server.stop();
        var aliceAccount = account("alice");
        var view = new RecordingView();
        var alice = aliceAccount.chat(view);
        view.await(UiEvent.ConnectionChanged.class, e -> e.state() instanceof ConnectionState.Offline);
        alice.perform(new UserAction.SendText(GENERAL, "do not lose me"));
        view.awaitMessage("alice", "do not lose me");
        alice.close(Duration.ofMillis(200));

        server.start();
        var next = new RecordingView();
        chat(aliceAccount, next);
        var loaded = next.await(UiEvent.HistoryLoaded.class, e -> e.conversation().equals(GENERAL));
        assertThat(loaded.messages()).singleElement().satisfies(m -> assertThat(m.pending()).isTrue());
        next.await(UiEvent.MessageDelivered.class, e -> e.messageId().equals(loaded.messages().getFirst().id()),
                Duration.ofSeconds(15));
        String received = server.run(tmp.resolve("bob"), "", "listen", "--json", "--count", "1", "--timeout", "30");
        assertThat(received.lines()).singleElement().asString().contains("do not lose me");
        assertThat(server.run(tmp.resolve("bob"), "", "listen", "--json", "--timeout", "1")).as("a second copy").isEmpty();
    }

    @Test
    void joiningAMissingRoomCreatesItAndARefusedJoinClosesTheWindow() throws Exception {
        server.run(tmp.resolve("bob"), "", "room", "create", "#secret");
        var view = new RecordingView();
        var alice = chat(account("alice"), view);
        view.awaitConnected();
        alice.perform(new UserAction.Run(new Operation.JoinRoom("ops")));
        view.await(UiEvent.MessageReceived.class, e -> e.message().text().startsWith("you created #ops"));
        view.await(UiEvent.MembersChanged.class, e -> e.conversation().equals(ConversationId.room("ops"))
                && e.members().equals(List.of("alice")));

        alice.perform(new UserAction.Run(new Operation.JoinRoom("secret")));
        view.await(UiEvent.ErrorLine.class, e -> e.text().startsWith("cannot join #secret") && e.text().contains("forbidden"));
        view.await(UiEvent.ConversationClosed.class, e -> e.conversation().equals(ConversationId.room("secret")));

        alice.perform(new UserAction.Run(new Operation.Invite("ops", "bob")));
        view.await(UiEvent.InfoLine.class, e -> e.text().startsWith("invited bob to #ops"));
        alice.perform(new UserAction.Run(new Operation.ListMembers("ops")));
        view.await(UiEvent.MembersChanged.class, UiEvent.MembersChanged::show);
        view.await(UiEvent.InfoLine.class, e -> e.text().equals("invited, not joined yet: bob"));
        alice.perform(new UserAction.Run(new Operation.ListRooms()));
        view.await(UiEvent.InfoLine.class, e -> e.text().contains("#ops  member, 1 member"));
        alice.perform(new UserAction.Run(new Operation.ListDevices()));
        view.await(UiEvent.InfoLine.class, e -> e.text().contains("(this one)"));
        alice.perform(new UserAction.Run(new Operation.Verify("bob", false)));
        view.await(UiEvent.InfoLine.class, e -> e.text().equals("safety number with bob:"));
        view.await(UiEvent.InfoLine.class, e -> e.text().matches(" {2}[0-9]{5}( [0-9]{5}){3}"));
        view.await(UiEvent.VerificationChanged.class, e -> e.conversation().equals(ConversationId.direct("bob"))
                && e.verification() == Verification.UNVERIFIED);
        alice.perform(new UserAction.Run(new Operation.Verify("bob", true)));
        view.await(UiEvent.VerificationChanged.class, e -> e.conversation().equals(ConversationId.direct("bob"))
                && e.verification() == Verification.VERIFIED);
        alice.perform(new UserAction.Run(new Operation.Verify("alice", false)));
        view.await(UiEvent.ErrorLine.class, e -> e.text().startsWith("/verify alice: ") && e.text().contains("someone else"));
    }

    @Test
    void aRoomLeftIsNotReopenedFromHistoryAndInvitationsAreAnnounced() throws Exception {
        roomWithBob();
        var bobAccount = account("bob");
        var view = new RecordingView();
        var bob = bobAccount.chat(view);
        view.awaitConnected();
        bob.perform(new UserAction.SendText(GENERAL, "bye"));
        view.await(UiEvent.MessageDelivered.class, e -> true);
        bob.perform(new UserAction.Run(new Operation.LeaveRoom(GENERAL.name())));
        view.await(UiEvent.ConversationClosed.class, e -> e.conversation().equals(GENERAL));
        bob.close(Duration.ofSeconds(1));

        server.run(tmp.resolve("alice"), "", "room", "create", "#later");
        server.run(tmp.resolve("alice"), "", "room", "invite", "#later", "bob");
        var next = new RecordingView();
        chat(bobAccount, next);
        next.await(UiEvent.InfoLine.class, e -> e.text().equals("you are invited to #later: /join #later"));
        assertThat(next.events()).noneMatch(e -> e instanceof UiEvent.HistoryLoaded h && h.conversation().equals(GENERAL));
    }

    @Test
    void aMessageTheServerRefusesIsShownAsNotSent() throws Exception {
        var view = new RecordingView();
        var alice = chat(account("alice"), view);
        view.awaitConnected();
        alice.perform(new UserAction.SendText(ConversationId.room("nowhere"), "hello?"));
        view.await(UiEvent.MessageReceived.class, e -> e.message().kind() == ChatMessage.Kind.ERROR
                && e.message().text().startsWith("not sent (") && e.message().text().endsWith("): hello?"));
        alice.perform(new UserAction.SendText(ConversationId.room("nowhere"), "x".repeat(70_000)));
        view.await(UiEvent.ErrorLine.class, e -> e.text().startsWith("message too long: 70000 bytes"));
        alice.perform(new UserAction.SendText(ConversationId.room("nowhere"), "still connected"));
        view.await(UiEvent.MessageReceived.class, e -> e.message().text().endsWith("): still connected"));
    }
}
