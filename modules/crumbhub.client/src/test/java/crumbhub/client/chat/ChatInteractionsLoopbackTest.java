package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.message.Interaction;
import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import crumbhub.wire.MessageId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two chat sessions against the real server (in-process): reactions, edits and deletes change the
 * line of their message in place, a reply quotes it, and membership changes arrive by push
 * (docs/chat.md "Replies, reactions, edits and deletes", docs/protocol.md §8).
 */
class ChatInteractionsLoopbackTest {
    private static final ConversationId GENERAL = ConversationId.room("general");
    @TempDir
    Path tmp;
    private LiveServer server;
    private final List<AutoCloseable> open = new ArrayList<>();

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

    private ChatSession chat(String name, RecordingView view) {
        var a = new Account(tmp.resolve(name));
        open.add(a);
        var chat = a.chat(view);
        open.add(() -> chat.close(Duration.ofSeconds(1)));
        return chat;
    }

    private static void run(ChatSession chat, Interaction what, String text) {
        chat.perform(new UserAction.Run(new Operation.Interact(Optional.empty(), what, text)));
    }

    @Test
    void reactionsEditsAndDeletesChangeTheLineOfTheirMessageAndAReplyQuotesIt() throws Exception {
        server.run(tmp.resolve("alice"), "", "room", "create", "#general");
        server.run(tmp.resolve("alice"), "", "room", "invite", "#general", "bob");
        server.run(tmp.resolve("bob"), "", "room", "join", "#general");
        var aliceView = new RecordingView();
        var bobView = new RecordingView();
        var alice = chat("alice", aliceView);
        var bob = chat("bob", bobView);
        aliceView.awaitConnected();
        bobView.awaitConnected();
        bobView.await(UiEvent.MembersChanged.class, e -> e.members().containsAll(List.of("alice", "bob")));

        alice.perform(new UserAction.SendText(GENERAL, "lunch?"));
        ChatMessage original = bobView.awaitMessage("alice", "lunch?");
        MessageId id = MessageId.parse(original.id().substring("alice/".length()));

        run(bob, new Interaction.React(id, false), "+1");
        aliceView.await(UiEvent.MessageReceived.class, e -> e.message().id().equals(original.id())
                && e.message().text().equals("lunch?  [+1 1]"));
        run(bob, new Interaction.Reply(id), "yes");
        aliceView.await(UiEvent.MessageReceived.class, e -> e.message().from().equals("bob")
                && e.message().text().equals("> alice: lunch?\nyes"));

        run(alice, new Interaction.Edit(id), "lunch at one?");
        bobView.await(UiEvent.MessageReceived.class, e -> e.message().id().equals(original.id())
                && e.message().text().equals("lunch at one? (edited)  [+1 1]"));
        run(bob, new Interaction.Edit(id), "not mine");
        bobView.await(UiEvent.ErrorLine.class, e -> e.text().contains("only the author edits or deletes"));

        run(alice, new Interaction.Delete(id), "");
        bobView.await(UiEvent.MessageReceived.class, e -> e.message().id().equals(original.id())
                && e.message().text().equals("(message deleted)"));
        aliceView.await(UiEvent.MessageReceived.class, e -> e.message().id().equals(original.id())
                && e.message().text().equals("(message deleted)"));
    }

    @Test
    void anInvitationIsAnnouncedWhenTheServerPushesItWithoutWaitingForAPoll() throws Exception {
        var view = new RecordingView();
        chat("bob", view);
        view.awaitConnected();
        server.run(tmp.resolve("alice"), "", "room", "create", "#later");
        server.run(tmp.resolve("alice"), "", "room", "invite", "#later", "bob");
        view.await(UiEvent.InfoLine.class, e -> e.text().equals("you are invited to #later: /join #later"),
                Duration.ofSeconds(20));
    }
}
