package crumbhub.client.model;

import java.util.Objects;

/**
 * What the user asked for, handed to {@link ChatModel#perform}. Arguments are already checked
 * and defaulted by the UI (for example {@code /leave} without a room means the current one).
 * Results come back as {@link UiEvent}s.
 */
public sealed interface UserAction {
    /** A line typed into a room or direct conversation. */
    record SendText(ConversationId conversation, String text) implements UserAction {
        public SendText {
            requireTarget(conversation);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code /join #room}. The UI opens the room's window at once; if the join is refused the
     * session posts an {@link UiEvent.ErrorLine} and {@link UiEvent.ConversationClosed}.
     */
    record Join(ConversationId room) implements UserAction {
        public Join {
            requireRoom(room);
        }
    }

    /** {@code /leave #room}. */
    record Leave(ConversationId room) implements UserAction {
        public Leave {
            requireRoom(room);
        }
    }

    /** {@code /msg user text}. */
    record Msg(String user, String text) implements UserAction {
        public Msg {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /me text} in a conversation. */
    record Me(ConversationId conversation, String text) implements UserAction {
        public Me {
            requireTarget(conversation);
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /who}: answer with {@link UiEvent.MembersChanged} (show = true). */
    record Who(ConversationId room) implements UserAction {
        public Who {
            requireRoom(room);
        }
    }

    /** {@code /rooms}: answer with info lines. */
    record Rooms() implements UserAction {
    }

    record Invite(ConversationId room, String user) implements UserAction {
        public Invite {
            requireRoom(room);
            Objects.requireNonNull(user, "user");
        }
    }

    record Kick(ConversationId room, String user) implements UserAction {
        public Kick {
            requireRoom(room);
            Objects.requireNonNull(user, "user");
        }
    }

    /** {@code /topic text}: set a room's topic. */
    record SetTopic(ConversationId room, String topic) implements UserAction {
        public SetTopic {
            requireRoom(room);
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** {@code /verify user [confirm]}: show the safety number; {@code confirm} marks it verified. */
    record Verify(String user, boolean confirm) implements UserAction {
        public Verify {
            Objects.requireNonNull(user, "user");
        }
    }

    /** {@code /devices}: answer with info lines. */
    record Devices() implements UserAction {
    }

    /** The user quits; the UI is closing. The session should flush and disconnect. */
    record Quit() implements UserAction {
    }

    private static void requireRoom(ConversationId room) {
        if (!Objects.requireNonNull(room, "room").isRoom()) {
            throw new IllegalArgumentException("not a room: " + room);
        }
    }

    private static void requireTarget(ConversationId conversation) {
        if (Objects.requireNonNull(conversation, "conversation").kind() == ConversationId.Kind.STATUS) {
            throw new IllegalArgumentException("cannot send to the status window");
        }
    }
}
