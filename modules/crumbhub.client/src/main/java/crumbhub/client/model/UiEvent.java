package crumbhub.client.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the session tells the UI, through {@link ChatView#post}. */
public sealed interface UiEvent {
    /** Who the user is and which server the session talks to; shown in the status line. */
    record SessionInfo(String server, String user) implements UiEvent {
        public SessionInfo {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(user, "user");
        }
    }

    record ConnectionChanged(ConnectionState state) implements UiEvent {
        public ConnectionChanged {
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * A message arrived, or the user's own message was queued or sent. Opens the conversation if
     * it is not open yet. A message with the id of one already shown replaces it.
     */
    record MessageReceived(ChatMessage message) implements UiEvent {
        public MessageReceived {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Messages of one conversation read back from the local history at start, in time order.
     * Shown like {@link MessageReceived} (same ids, replacing rules and pending marks), but they
     * are not news: they open the conversation without counting as unread, never ring the bell,
     * and line mode does not print them.
     */
    record HistoryLoaded(ConversationId conversation, List<ChatMessage> messages) implements UiEvent {
        public HistoryLoaded {
            Objects.requireNonNull(conversation, "conversation");
            messages = List.copyOf(messages);
            for (ChatMessage m : messages) {
                if (!m.conversation().equals(conversation)) {
                    throw new IllegalArgumentException("a message of " + m.conversation() + " in the history of "
                            + conversation);
                }
            }
        }
    }

    /**
     * The answer to {@link UserAction.Search}: the messages found, oldest first, each with its
     * conversation and id as it is shown (so the UI can jump to it).
     */
    record SearchResults(String text, List<ChatMessage> hits) implements UiEvent {
        public SearchResults {
            Objects.requireNonNull(text, "text");
            hits = List.copyOf(hits);
        }
    }

    /**
     * The answer to {@link UserAction.LoadOlder}: older lines of a conversation, shown like
     * {@link HistoryLoaded}; {@code more} says whether the history holds still older ones.
     */
    record OlderLoaded(ConversationId conversation, List<ChatMessage> messages, boolean more) implements UiEvent {
        public OlderLoaded {
            Objects.requireNonNull(conversation, "conversation");
            messages = List.copyOf(messages);
        }
    }

    /** The server accepted a message that was pending: its mark goes away. */
    record MessageDelivered(ConversationId conversation, String messageId) implements UiEvent {
        public MessageDelivered {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    /** A conversation exists (joined a room, was invited into one, started a direct one). */
    record ConversationOpened(ConversationId conversation, boolean focus) implements UiEvent {
        public ConversationOpened {
            Objects.requireNonNull(conversation, "conversation");
        }
    }

    /** The user left or was removed from a room; its window closes. */
    record ConversationClosed(ConversationId conversation) implements UiEvent {
        public ConversationClosed {
            Objects.requireNonNull(conversation, "conversation");
        }
    }

    /** The full member list of a room (the answer to {@code /who}, or after a change). */
    record MembersChanged(ConversationId conversation, List<String> members, boolean show) implements UiEvent {
        public MembersChanged {
            Objects.requireNonNull(conversation, "conversation");
            members = List.copyOf(members);
        }
    }

    record TopicChanged(ConversationId conversation, String topic) implements UiEvent {
        public TopicChanged {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(topic, "topic");
        }
    }

    record VerificationChanged(ConversationId conversation, Verification verification) implements UiEvent {
        public VerificationChanged {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** A line of information (command output such as a safety number); empty conversation = current. */
    record InfoLine(Optional<ConversationId> conversation, String text) implements UiEvent {
        public InfoLine {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(text, "text");
        }
    }

    /** Something failed (a command refused, a message not sent); empty conversation = current. */
    record ErrorLine(Optional<ConversationId> conversation, String text) implements UiEvent {
        public ErrorLine {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(text, "text");
        }
    }
}
