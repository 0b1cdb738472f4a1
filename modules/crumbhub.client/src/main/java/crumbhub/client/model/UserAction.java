package crumbhub.client.model;

import crumbhub.client.format.MessageText;
import crumbhub.client.ops.Operation;

import java.util.Objects;
import java.util.Optional;

/**
 * What the user asked for, handed to {@link ChatModel#perform}. Arguments are already checked
 * and defaulted by the UI (for example {@code /leave} without a room means the current one).
 * Results come back as {@link UiEvent}s. The client operations ({@link Operation.Common}) come
 * as {@link Run}; what is the chat's own (a line typed into a conversation, quitting) has its
 * own record here.
 */
public sealed interface UserAction {
    /** A message typed in the chat: a client {@link Operation.Send} with what the UI shows of it. */
    sealed interface Sending extends UserAction {
        /** Where it is shown and sent. */
        ConversationId conversation();

        /** The text with its kind (plain, /me action, topic). */
        MessageText message();

        /** The client operation it is. */
        default Operation.Send operation() {
            return new Operation.Send(conversation().target(), message());
        }
    }

    /**
     * A client operation other than a typed line: {@code /join} ({@link Operation.JoinRoom}, which
     * creates a missing room; the UI opens the room's window at once, and if the join is refused
     * the session posts an {@link UiEvent.ErrorLine} and {@link UiEvent.ConversationClosed}),
     * {@code /leave}, {@code /who} ({@link Operation.ListMembers}, answered with
     * {@link UiEvent.MembersChanged} (show = true)), {@code /rooms}, {@code /invite}, {@code /kick},
     * {@code /verify}, {@code /devices} (answered with info lines).
     */
    record Run(Operation.Common operation) implements UserAction {
        public Run {
            Objects.requireNonNull(operation, "operation");
        }
    }

    /** A line typed into a room or direct conversation. */
    record SendText(ConversationId conversation, String text) implements Sending {
        public SendText {
            requireTarget(conversation);
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageText message() {
            return MessageText.text(text);
        }
    }

    /** {@code /msg user text}. */
    record Msg(String user, String text) implements Sending {
        public Msg {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public ConversationId conversation() {
            return ConversationId.direct(user);
        }

        @Override
        public MessageText message() {
            return MessageText.text(text);
        }
    }

    /** {@code /me text} in a conversation. */
    record Me(ConversationId conversation, String text) implements Sending {
        public Me {
            requireTarget(conversation);
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageText message() {
            return new MessageText(MessageText.Kind.ACTION, text);
        }
    }

    /** {@code /topic text}: set a room's topic. */
    record SetTopic(ConversationId room, String topic) implements Sending {
        public SetTopic {
            if (!Objects.requireNonNull(room, "room").isRoom()) {
                throw new IllegalArgumentException("not a room: " + room);
            }
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public ConversationId conversation() {
            return room;
        }

        @Override
        public MessageText message() {
            return new MessageText(MessageText.Kind.TOPIC, topic);
        }
    }

    /**
     * {@code /search text}: the newest messages containing the text, in every conversation of the
     * local history; answered with {@link UiEvent.SearchResults}.
     */
    record Search(String text) implements UserAction {
        public Search {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Lines of a conversation older than those shown, read from the local history: one page when
     * scrolling back past the first line, or every line back to the message {@code until} (a
     * search result to jump to). Answered with {@link UiEvent.OlderLoaded}.
     */
    record LoadOlder(ConversationId conversation, Optional<String> until) implements UserAction {
        public LoadOlder {
            requireTarget(conversation);
            Objects.requireNonNull(until, "until");
        }
    }

    /** The user quits; the UI is closing. The session should flush and disconnect. */
    record Quit() implements UserAction {
    }

    private static void requireTarget(ConversationId conversation) {
        if (Objects.requireNonNull(conversation, "conversation").kind() == ConversationId.Kind.STATUS) {
            throw new IllegalArgumentException("cannot send to the status window");
        }
    }
}
