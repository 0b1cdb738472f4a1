package crumbhub.client.model;

import crumbhub.client.message.Target;

import crumbhub.wire.NameRules;

import java.util.Objects;
import java.util.Optional;

/**
 * Which conversation: a room ({@code #name}), a direct conversation with a user ({@code @name}),
 * or the client's own status window (connection changes, command output with nowhere else to go).
 * Names are case-folded.
 */
public record ConversationId(Kind kind, String name) implements Comparable<ConversationId> {
    public enum Kind { STATUS, ROOM, DIRECT }

    public static final ConversationId STATUS = new ConversationId(Kind.STATUS, "status");

    public ConversationId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        name = NameRules.fold(name);
        if (kind != Kind.STATUS && !NameRules.isValid(name)) {
            throw new IllegalArgumentException("not a valid name: " + name.length() + " chars");
        }
    }

    public static ConversationId room(String name) {
        return new ConversationId(Kind.ROOM, stripPrefix(name, '#'));
    }

    public static ConversationId direct(String user) {
        return new ConversationId(Kind.DIRECT, stripPrefix(user, '@'));
    }

    /** Whether {@code name} (without {@code #} or {@code @}) is a valid room or user name ({@link NameRules}). */
    public static boolean validName(String name) {
        return NameRules.isValid(NameRules.fold(name));
    }

    /** Parses {@code #room} or {@code @user}. */
    public static Optional<ConversationId> parse(String text) {
        if (text.length() < 2 || !validName(text.substring(1))) {
            return Optional.empty();
        }
        return switch (text.charAt(0)) {
            case '#' -> Optional.of(room(text));
            case '@' -> Optional.of(direct(text));
            default -> Optional.empty();
        };
    }

    private static String stripPrefix(String s, char prefix) {
        return !s.isEmpty() && s.charAt(0) == prefix ? s.substring(1) : s;
    }

    public boolean isRoom() {
        return kind == Kind.ROOM;
    }

    public boolean isDirect() {
        return kind == Kind.DIRECT;
    }

    /** {@code #name}, {@code @name} or {@code status}. */
    public String label() {
        return switch (kind) {
            case STATUS -> name;
            case ROOM -> "#" + name;
            case DIRECT -> "@" + name;
        };
    }

    /** The conversation a message to {@code target} belongs to. */
    public static ConversationId of(Target target) {
        return switch (target) {
            case Target.Room r -> room(r.name());
            case Target.Direct d -> direct(d.name());
        };
    }

    /** Where a message in this conversation goes; the status window is none. */
    public Target target() {
        return switch (kind) {
            case ROOM -> new Target.Room(name);
            case DIRECT -> new Target.Direct(name);
            case STATUS -> throw new IllegalArgumentException("the status window is not a conversation");
        };
    }

    /** Status first, then rooms, then direct conversations, each by name. */
    @Override
    public int compareTo(ConversationId other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return label();
    }
}
