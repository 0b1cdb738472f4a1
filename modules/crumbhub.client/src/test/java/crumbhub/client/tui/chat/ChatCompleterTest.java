package crumbhub.client.tui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatCompleterTest {
    private static final ConversationId GENERAL = ConversationId.room("general");
    private final ChatState state = new ChatState(100, Clock.systemUTC());
    private final ChatCompleter completer = new ChatCompleter(state);

    @BeforeEach
    void setUp() {
        state.apply(new UiEvent.SessionInfo("s", "me"));
        state.apply(new UiEvent.ConversationOpened(GENERAL, true));
        state.apply(new UiEvent.ConversationOpened(ConversationId.room("games"), false));
        state.apply(new UiEvent.ConversationOpened(ConversationId.direct("zoe"), false));
        state.apply(new UiEvent.MembersChanged(GENERAL, List.of("alice", "albert", "bob", "me"), false));
        state.apply(new UiEvent.MessageReceived(ChatMessage.text("1", GENERAL, "albert", Instant.EPOCH, "hi")));
    }

    private List<String> complete(String lineWithCursor) {
        int cursor = lineWithCursor.indexOf('|');
        String line = lineWithCursor.replace("|", "");
        int start = cursor;
        while (start > 0 && line.charAt(start - 1) != ' ') {
            start--;
        }
        return completer.complete(line, start, cursor);
    }

    @Test
    void commandsAtTheLineStart() {
        assertThat(complete("/j|")).containsExactly("/join ");
        assertThat(complete("/|")).hasSize(ChatCommands.ALL.size());
        assertThat(complete("/x|")).isEmpty();
    }

    @Test
    void nicksAtTheLineStartGetAColonRecentSpeakersFirst() {
        assertThat(complete("al|")).containsExactly("albert: ", "alice: ");
        assertThat(complete("hi AL|")).containsExactly("albert ", "alice ");
    }

    @Test
    void theUserIsNotCompleted() {
        assertThat(complete("m|")).isEmpty();
    }

    @Test
    void roomsAfterAHashOrWhereACommandExpectsOne() {
        assertThat(complete("see #g|")).containsExactly("#games ", "#general ");
        assertThat(complete("/join ga|")).containsExactly("#games ");
        assertThat(complete("/invite bob #ge|")).containsExactly("#general ");
        assertThat(complete("/invite bob ge|")).containsExactly("#general ");
    }

    @Test
    void usersWhereACommandExpectsOneIncludingDirectPeers() {
        assertThat(complete("/msg z|")).containsExactly("zoe ");
        assertThat(complete("/msg al|")).containsExactly("albert ", "alice ");
        assertThat(complete("ask @z|")).containsExactly("@zoe ");
    }

    @Test
    void emptyWordCompletesNothingOutsideCommands() {
        assertThat(complete("hello |")).isEmpty();
    }
}
