package crumbhub.client.tui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.message.Interaction;
import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import crumbhub.client.tui.chat.CommandOutcome.Fail;
import crumbhub.client.tui.chat.CommandOutcome.Perform;
import crumbhub.wire.MessageId;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /reply}, {@code /react}, {@code /unreact}, {@code /edit}, {@code /delete}: which message each picks. */
class InteractionCommandsTest {
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final MessageId MINE = new MessageId(1, 1);
    private static final MessageId BOBS = new MessageId(2, 2);
    private static final MessageId CAROLS = new MessageId(3, 3);
    private final ChatState state = new ChatState(100, Clock.systemUTC());

    @BeforeEach
    void conversation() {
        state.apply(new UiEvent.SessionInfo("server", "alice"));
        state.focus(GENERAL);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("alice/" + MINE, GENERAL, "alice", t, "mine")));
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("bob/" + BOBS, GENERAL, "bob", t.plusSeconds(1), "bob's")));
        state.apply(new UiEvent.InfoLine(Optional.of(GENERAL), "a notice does not count"));
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("carol/" + CAROLS, GENERAL, "carol", t.plusSeconds(2),
                "carol's")));
    }

    private static Perform interact(Interaction what, String text) {
        return new Perform(new UserAction.Run(new Operation.Interact(Optional.empty(), what, text)), Optional.empty());
    }

    @Test
    void repliesAndReactionsGoToTheNewestMessageFromSomeoneElseOrToMessageN() {
        assertThat(ChatCommands.parse("/reply sure", state)).isEqualTo(interact(new Interaction.Reply(CAROLS), "sure"));
        assertThat(ChatCommands.parse("/react +1", state)).isEqualTo(interact(new Interaction.React(CAROLS, false), "+1"));
        assertThat(ChatCommands.parse("/react ^2 +1", state)).isEqualTo(interact(new Interaction.React(BOBS, false), "+1"));
        assertThat(ChatCommands.parse("/unreact ^2 +1", state)).isEqualTo(interact(new Interaction.React(BOBS, true), "+1"));
        assertThat(ChatCommands.parse("/react ^9 +1", state)).isInstanceOf(Fail.class);
        assertThat(ChatCommands.parse("/react two words", state)).isInstanceOf(Fail.class);
        assertThat(ChatCommands.parse("/react", state)).isInstanceOf(Fail.class);
    }

    @Test
    void editsAndDeletesGoToYourOwnNewestMessageAndNeverToSomeoneElses() {
        assertThat(ChatCommands.parse("/edit fixed", state)).isEqualTo(interact(new Interaction.Edit(MINE), "fixed"));
        assertThat(ChatCommands.parse("/delete", state)).isEqualTo(interact(new Interaction.Delete(MINE), ""));
        assertThat(ChatCommands.parse("/delete ^3", state)).isEqualTo(interact(new Interaction.Delete(MINE), ""));
        assertThat(ChatCommands.parse("/delete ^1", state))
                .isEqualTo(new Fail("only the author edits or deletes a message: that one is carol's"));
        assertThat(ChatCommands.parse("/edit ^2 not mine", state)).isInstanceOf(Fail.class);
    }
}
