package crumbhub.server.domain;

import crumbhub.crypto.Algorithms;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
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
    /**
     * The signed membership log (docs/protocol.md §8), oldest first: encoded statements, stored and
     * served as they came. Empty for a room made before the log existed until its owner signs it.
     */
    final ArrayList<byte[]> log = new ArrayList<>();

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

    /** The statements of the log from number {@code from} on (none if {@code from} is past its end). */
    public List<byte[]> log(int from) {
        return from >= log.size() ? List.of() : List.copyOf(log.subList(from, log.size()));
    }

    public int logLength() {
        return log.size();
    }

    /** SHA-256 of the last statement: what the next one must name as its previous; empty for an empty log. */
    public byte[] logHead() {
        if (log.isEmpty()) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance(Algorithms.SHA256).digest(log.getLast());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
