package crumbhub.client.tui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import crumbhub.client.tui.chat.CommandOutcome.CloseWindow;
import crumbhub.client.tui.chat.CommandOutcome.Fail;
import crumbhub.client.tui.chat.CommandOutcome.Focus;
import crumbhub.client.tui.chat.CommandOutcome.Nothing;
import crumbhub.client.tui.chat.CommandOutcome.Perform;
import crumbhub.client.tui.chat.CommandOutcome.Show;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatCommandsTest {
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final ConversationId BOB = ConversationId.direct("bob");
    private final ChatState state = new ChatState(100, Clock.systemUTC());

    private CommandOutcome in(ConversationId where, String line) {
        state.focus(where);
        return ChatCommands.parse(line, state);
    }

    private static Perform perform(UserAction action) {
        return new Perform(action, Optional.empty());
    }

    @Test
    void plainTextGoesToTheCurrentConversation() {
        assertThat(in(GENERAL, "hello /world")).isEqualTo(perform(new UserAction.SendText(GENERAL, "hello /world")));
        assertThat(in(BOB, "//me is literal")).isEqualTo(perform(new UserAction.SendText(BOB, "/me is literal")));
        assertThat(in(GENERAL, "   ")).isEqualTo(new Nothing());
    }

    @Test
    void textInTheStatusWindowIsRefused() {
        assertThat(in(ConversationId.STATUS, "hello")).isInstanceOf(Fail.class);
    }

    @Test
    void join() {
        var dev = ConversationId.room("dev");
        assertThat(in(ConversationId.STATUS, "/join #Dev")).isEqualTo(new Perform(new UserAction.Run(new Operation.JoinRoom(dev.name())), Optional.of(dev)));
        assertThat(in(ConversationId.STATUS, "/join dev")).isEqualTo(new Perform(new UserAction.Run(new Operation.JoinRoom(dev.name())), Optional.of(dev)));
        assertThat(in(ConversationId.STATUS, "/join")).isEqualTo(new Fail(
                "usage: /join #room (join a room you were invited to, or switch to it)"));
        assertThat(in(ConversationId.STATUS, "/join #no way")).isInstanceOf(Fail.class);
        assertThat(in(ConversationId.STATUS, "/join #bad!name")).isInstanceOf(Fail.class);
        state.apply(new UiEvent.ConversationOpened(GENERAL, false));
        assertThat(in(ConversationId.STATUS, "/JOIN #general")).isEqualTo(new Focus(GENERAL));
    }

    @Test
    void leave() {
        assertThat(in(GENERAL, "/leave")).isEqualTo(perform(new UserAction.Run(new Operation.LeaveRoom(GENERAL.name()))));
        assertThat(in(BOB, "/leave #x")).isEqualTo(perform(new UserAction.Run(new Operation.LeaveRoom("x"))));
        assertThat(in(BOB, "/leave")).isEqualTo(new CloseWindow(BOB));
        assertThat(in(GENERAL, "/leave @bob")).isEqualTo(new CloseWindow(BOB));
        assertThat(in(ConversationId.STATUS, "/leave")).isInstanceOf(Fail.class);
    }

    @Test
    void msg() {
        assertThat(in(GENERAL, "/msg Bob  hi there ")).isEqualTo(new Perform(new UserAction.Msg("bob", "hi there"),
                Optional.of(BOB)));
        assertThat(in(GENERAL, "/msg @bob")).isEqualTo(new Focus(BOB));
        assertThat(in(GENERAL, "/msg")).isInstanceOf(Fail.class);
        assertThat(in(GENERAL, "/msg b@d hi")).isInstanceOf(Fail.class);
    }

    @Test
    void me() {
        assertThat(in(GENERAL, "/me waves")).isEqualTo(perform(new UserAction.Me(GENERAL, "waves")));
        assertThat(in(GENERAL, "/me")).isInstanceOf(Fail.class);
        assertThat(in(ConversationId.STATUS, "/me waves")).isInstanceOf(Fail.class);
    }

    @Test
    void whoAndRoomsAndDevices() {
        assertThat(in(GENERAL, "/who")).isEqualTo(perform(new UserAction.Run(new Operation.ListMembers(GENERAL.name()))));
        assertThat(in(BOB, "/who #ops")).isEqualTo(perform(new UserAction.Run(new Operation.ListMembers("ops"))));
        assertThat(in(BOB, "/who")).isInstanceOf(Fail.class);
        assertThat(in(BOB, "/rooms")).isEqualTo(perform(new UserAction.Run(new Operation.ListRooms())));
        assertThat(in(BOB, "/devices")).isEqualTo(perform(new UserAction.Run(new Operation.ListDevices())));
    }

    @Test
    void inviteAndKickTakeTheRoomInEitherPlace() {
        var ops = ConversationId.room("ops");
        assertThat(in(GENERAL, "/invite carol")).isEqualTo(perform(new UserAction.Run(new Operation.Invite(GENERAL.name(), "carol"))));
        assertThat(in(BOB, "/invite carol #ops")).isEqualTo(perform(new UserAction.Run(new Operation.Invite(ops.name(), "carol"))));
        assertThat(in(BOB, "/invite #ops carol")).isEqualTo(perform(new UserAction.Run(new Operation.Invite(ops.name(), "carol"))));
        assertThat(in(GENERAL, "/kick @eve")).isEqualTo(perform(new UserAction.Run(new Operation.Kick(GENERAL.name(), "eve"))));
        assertThat(in(BOB, "/kick eve")).isEqualTo(new Fail("/kick needs a room here: /kick user #room"));
        assertThat(in(GENERAL, "/kick")).isInstanceOf(Fail.class);
        assertThat(in(GENERAL, "/kick a b c")).isInstanceOf(Fail.class);
    }

    @Test
    void topicShowsOrSets() {
        state.apply(new UiEvent.TopicChanged(GENERAL, "old news"));
        assertThat(in(GENERAL, "/topic")).isEqualTo(new Show(java.util.List.of("topic of #general: old news")));
        assertThat(in(GENERAL, "/topic fresh  start")).isEqualTo(perform(new UserAction.SetTopic(GENERAL, "fresh  start")));
        assertThat(in(BOB, "/topic x")).isInstanceOf(Fail.class);
    }

    @Test
    void verifyDefaultsToThePeer() {
        assertThat(in(BOB, "/verify")).isEqualTo(perform(new UserAction.Run(new Operation.Verify("bob", false))));
        assertThat(in(BOB, "/verify confirm")).isEqualTo(perform(new UserAction.Run(new Operation.Verify("bob", true))));
        assertThat(in(GENERAL, "/verify alice --confirm")).isEqualTo(perform(new UserAction.Run(new Operation.Verify("alice", true))));
        assertThat(in(GENERAL, "/verify")).isInstanceOf(Fail.class);
        assertThat(in(GENERAL, "/verify a b")).isInstanceOf(Fail.class);
    }

    @Test
    void quit() {
        assertThat(in(GENERAL, "/quit")).isEqualTo(perform(new UserAction.Quit()));
    }

    @Test
    void unknownCommandsAreAnInlineError() {
        assertThat(in(GENERAL, "/frobnicate now")).isEqualTo(new Fail("unknown command /frobnicate (/help lists the commands)"));
    }

    @Test
    void helpListsEveryCommandWithItsLine() {
        var help = (Show) in(GENERAL, "/help");
        for (Command c : ChatCommands.ALL) {
            assertThat(help.lines()).anyMatch(l -> l.contains(c.synopsis()) && l.contains(c.help()));
        }
        assertThat(help.lines()).anyMatch(l -> l.contains("PageUp/PageDown"));
        assertThat(ChatCommands.ALL.stream().map(Command::name)).containsExactly(
                "join", "leave", "msg", "me", "who", "rooms", "invite", "kick", "topic", "verify", "devices", "reply", "react",
                "unreact", "edit", "delete", "search", "goto",
                "help", "quit");
    }

    @Test
    void helpForOneCommand() {
        assertThat(in(GENERAL, "/help /me")).isEqualTo(new Show(java.util.List.of("/me action: send an action, shown as: * you action")));
        assertThat(in(GENERAL, "/help nope")).isInstanceOf(Fail.class);
    }
}
