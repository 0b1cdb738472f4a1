package crumbhub.client.tui.chat;

import crumbhub.client.model.ChatModel;
import crumbhub.client.model.UserAction;
import java.util.Optional;

/**
 * What a submitted line does, shared by the full-screen and the line front ends: parse it,
 * update the UI state, hand actions to the session. UI thread only.
 */
public final class ChatController {
    private final ChatState state;
    private final ChatModel model;

    public ChatController(ChatState state, ChatModel model) {
        this.state = state;
        this.model = model;
    }

    /** Handles one typed line. Returns true if the user quit. */
    public boolean submit(String line) {
        return switch (ChatCommands.parse(line, state)) {
            case CommandOutcome.Perform p -> {
                perform(p.action());
                p.focus().ifPresent(state::focus);
                yield p.action() instanceof UserAction.Quit;
            }
            case CommandOutcome.Focus f -> {
                state.focus(f.conversation());
                yield false;
            }
            case CommandOutcome.Jump j -> {
                state.focus(j.conversation());
                if (!state.jumpTo(j.conversation(), j.messageId())) {
                    state.expectJump(j.conversation(), j.messageId());
                    perform(new UserAction.LoadOlder(j.conversation(), Optional.of(j.messageId())));
                }
                yield false;
            }
            case CommandOutcome.CloseWindow c -> {
                state.close(c.conversation());
                yield false;
            }
            case CommandOutcome.Show s -> {
                s.lines().forEach(l -> state.notice(Optional.empty(), l, false));
                yield false;
            }
            case CommandOutcome.Fail f -> {
                state.notice(Optional.empty(), f.message(), true);
                yield false;
            }
            case CommandOutcome.Nothing n -> false;
        };
    }

    /** Asks the session for older lines of {@code conversation}, once until they come (scrolling back). */
    public void loadOlder(Conversation conversation) {
        if (conversation.requestOlder()) {
            perform(new UserAction.LoadOlder(conversation.id(), Optional.empty()));
        }
    }

    /**
     * Hands an action to the session. A session that throws instead of posting an error line
     * gets its message shown rather than taking the UI down.
     */
    public void perform(UserAction action) {
        try {
            model.perform(action);
        } catch (RuntimeException e) {
            state.notice(Optional.empty(), "could not do that: " + e.getMessage(), true);
        }
    }
}
