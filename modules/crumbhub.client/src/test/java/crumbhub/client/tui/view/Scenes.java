package crumbhub.client.tui.view;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.Verification;
import crumbhub.client.tui.chat.ChatState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Fixed chat states for rendering tests: the same messages at the same times every run. */
final class Scenes {
    static final Instant NOW = Instant.parse("2026-11-26T14:05:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final ConversationId GENERAL = ConversationId.room("general");
    static final ConversationId RANDOM = ConversationId.room("random");
    static final ConversationId ALICE = ConversationId.direct("alice");
    private static int ids;

    private Scenes() {
    }

    static ChatMessage msg(ConversationId where, String from, String time, String text) {
        return ChatMessage.text("m" + (++ids), where, from, Instant.parse(time), text);
    }

    static ChatMessage action(ConversationId where, String from, String time, String text) {
        return new ChatMessage("m" + (++ids), where, from, Instant.parse(time), text, ChatMessage.Kind.ACTION, false);
    }

    /** #general focused with a day of history, unread in #random and @alice. */
    static ChatState busy() {
        var state = new ChatState(1000, CLOCK);
        state.apply(new UiEvent.SessionInfo("chat.example.org:5555", "me"));
        state.apply(new UiEvent.ConnectionChanged(new ConnectionState.Connected()));
        state.apply(new UiEvent.ConversationOpened(GENERAL, true));
        state.apply(new UiEvent.ConversationOpened(RANDOM, false));
        state.apply(new UiEvent.ConversationOpened(ALICE, false));
        state.apply(new UiEvent.MembersChanged(GENERAL, List.of("alice", "bob", "me"), false));
        state.apply(new UiEvent.TopicChanged(GENERAL, "Be kind"));
        state.apply(new UiEvent.VerificationChanged(ALICE, Verification.VERIFIED));
        for (var m : List.of(
                msg(GENERAL, "alice", "2026-11-25T23:50:00Z", "good night"),
                msg(GENERAL, "bob", "2026-11-26T09:00:00Z", "morning all"),
                msg(GENERAL, "me", "2026-11-26T09:01:00Z", "hi bob"),
                action(GENERAL, "alice", "2026-11-26T09:02:00Z", "waves"),
                msg(GENERAL, "alice", "2026-11-26T09:03:00Z", "me: did you see the build? it is green again after the fix"),
                msg(RANDOM, "bob", "2026-11-26T12:00:00Z", "lunch?"),
                msg(ALICE, "alice", "2026-11-26T13:00:00Z", "psst"))) {
            state.apply(new UiEvent.MessageReceived(m));
        }
        return state;
    }
}
