package crumbhub.client.message;

import crumbhub.client.ClientException;

/** Where a message goes: a room ({@code #name}) or a direct conversation ({@code @user}). */
public sealed interface Target {
    /** Protocol {@code kind}: 1 = room. */
    int KIND_ROOM = 1;
    /** Protocol {@code kind}: 2 = direct. */
    int KIND_DIRECT = 2;

    String name();

    int kind();

    /** {@code #name} or {@code @name}. */
    String display();

    record Room(String name) implements Target {
        @Override
        public int kind() {
            return KIND_ROOM;
        }

        @Override
        public String display() {
            return "#" + name;
        }
    }

    record Direct(String name) implements Target {
        @Override
        public int kind() {
            return KIND_DIRECT;
        }

        @Override
        public String display() {
            return "@" + name;
        }
    }

    /** Parses a command-line target: {@code #room} or {@code @user}, case-folded. */
    static Target parse(String raw) {
        if (raw.startsWith("#")) {
            return new Room(Names.fold(raw.substring(1), "room"));
        }
        if (raw.startsWith("@")) {
            return new Direct(Names.fold(raw.substring(1), "user"));
        }
        throw ClientException.usage("target '" + Names.printable(raw) + "' must be #room or @user");
    }

    /** A target from the wire: {@code kind} and name as the server sent them. */
    static Target of(int kind, String name) {
        return switch (kind) {
            case KIND_ROOM -> new Room(name);
            case KIND_DIRECT -> new Direct(name);
            default -> throw ClientException.refused("server sent a message of unknown kind " + kind);
        };
    }
}
