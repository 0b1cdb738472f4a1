package crumbhub.server.domain;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An invite-only room. A member's entry records the seq current when they joined: they are
 * recipients of messages stored after that and until they leave or are kicked, when the entry
 * goes away. Recipients are fixed when a message is stored, so a member who left gets nothing
 * stored after leaving. Mutable only through {@link State#apply}; owned by the core thread.
 */
public final class Room {
    private final String name;
    String owner;
    private final long createdMs;
    /** Member name to the seq current when they joined, in join order (the order ownership passes in). */
    final LinkedHashMap<String, Long> members = new LinkedHashMap<>();
    final LinkedHashSet<String> invited = new LinkedHashSet<>();

    Room(String name, String owner, long createdMs) {
        this.name = name;
        this.owner = owner;
        this.createdMs = createdMs;
    }

    public String name() { return name; }
    public String owner() { return owner; }
    public long createdMs() { return createdMs; }

    public boolean isMember(String user) {
        return members.containsKey(user);
    }

    public boolean isInvited(String user) {
        return invited.contains(user);
    }

    /** The seq current when {@code user} joined, or -1 if not a member. */
    public long joinedSeq(String user) {
        Long s = members.get(user);
        return s == null ? -1 : s;
    }

    public List<String> memberNames() {
        return List.copyOf(members.keySet());
    }

    public List<String> invitedNames() {
        return List.copyOf(invited);
    }

    public int memberCount() {
        return members.size();
    }
}
