package crumbhub.client.tui.chat;

import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UserAction;
import java.util.List;
import java.util.Optional;

/** What a typed line asks the UI to do. */
public sealed interface CommandOutcome {
    /** Hand an action to the session, then focus a conversation if one is given. */
    record Perform(UserAction action, Optional<ConversationId> focus) implements CommandOutcome {
    }

    /** Open (if needed) and switch to a conversation; nothing for the session to do. */
    record Focus(ConversationId conversation) implements CommandOutcome {
    }

    /** Show a message (a search result) in its conversation, reading older lines first if needed. */
    record Jump(ConversationId conversation, String messageId) implements CommandOutcome {
    }

    /** Close a window the session has no state for (a direct conversation). */
    record CloseWindow(ConversationId conversation) implements CommandOutcome {
    }

    /** Show these lines in the current window. */
    record Show(List<String> lines) implements CommandOutcome {
        public Show {
            lines = List.copyOf(lines);
        }
    }

    /** The line cannot be done; tell the user why, in one sentence. */
    record Fail(String message) implements CommandOutcome {
    }

    /** Nothing to do (an empty line). */
    record Nothing() implements CommandOutcome {
    }
}
