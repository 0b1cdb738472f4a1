package crumbhub.server.domain;

import crumbhub.server.domain.Change.RoomCreated;
import crumbhub.server.domain.Change.RoomInvited;
import crumbhub.server.domain.Change.RoomJoined;
import crumbhub.server.domain.Change.RoomKicked;
import crumbhub.server.domain.Change.RoomLeft;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The rules of invite-only rooms: the owner creates and invites, invited users join, members
 * leave, the owner kicks. Part of {@link Domain}: same contract (check, then commit; no I/O) and
 * the same core-thread ownership.
 */
public final class RoomRules {
    /** Members plus invitations per room: a member list must fit one 65,517-byte frame (34 bytes each). */
    public static final int MAX_ROOM_SIZE = 1000;
    /**
     * Rooms a user belongs to or is invited to: a room list must fit one frame (36 bytes each). The
     * {@link Quotas} for rooms joined and invitations received keep each user under it.
     */
    public static final int MAX_ROOMS_PER_USER = 1000;

    private final State state;
    private final Clock clock;
    private final Consumer<Change> commit;
    private final QuotaRules quotas;

    RoomRules(State state, Clock clock, Consumer<Change> commit, QuotaRules quotas) {
        this.state = state;
        this.clock = clock;
        this.commit = commit;
        this.quotas = quotas;
    }

    public void create(User user, String rawRoom) throws Rejected {
        String room = Names.room(rawRoom);
        if (state.room(room) != null) {
            throw new Rejected(Reason.EXISTS, "room #" + room + " already exists");
        }
        quotas.joinRoom(user);
        commit.accept(new RoomCreated(room, user.name(), clock.millis()));
    }

    /** The owner invites a user. Inviting someone already invited is a no-op. */
    public void invite(User user, String rawRoom, String rawInvitee) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        requireOwner(user, room);
        User invitee = lookupUser(rawInvitee);
        if (invitee == null) {
            throw new Rejected(Reason.NOT_FOUND, "no such user");
        }
        if (room.isMember(invitee.name())) {
            throw new Rejected(Reason.EXISTS, invitee.name() + " is already a member of #" + room.name());
        }
        if (room.isInvited(invitee.name())) {
            return;
        }
        if (room.memberCount() + room.invitedNames().size() >= MAX_ROOM_SIZE) {
            throw new Rejected(Reason.TOO_LARGE, "#" + room.name() + " is full (" + MAX_ROOM_SIZE + ")");
        }
        quotas.invite(user, invitee);
        commit.accept(new RoomInvited(room.name(), invitee.name(), clock.millis()));
    }

    /** An invited user joins. Joining a room one is already a member of is a no-op. */
    public void join(User user, String rawRoom) throws Rejected {
        String name = Names.room(rawRoom);
        Room room = state.room(name);
        if (room == null) {
            throw new Rejected(Reason.NOT_FOUND, "no room #" + name);
        }
        if (room.isMember(user.name())) {
            return;
        }
        if (!room.isInvited(user.name())) {
            throw new Rejected(Reason.FORBIDDEN, "#" + name + " is invite-only and you are not invited");
        }
        quotas.joinRoom(user);
        commit.accept(new RoomJoined(name, user.name(), clock.millis()));
    }

    /** A member leaves (ownership passes to the longest-standing member), or an invitee declines. */
    public void leave(User user, String rawRoom) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        commit.accept(new RoomLeft(room.name(), user.name(), clock.millis()));
    }

    /** The owner removes a member or withdraws an invitation. */
    public void kick(User user, String rawRoom, String rawTarget) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        requireOwner(user, room);
        User target = lookupUser(rawTarget);
        if (target == null || !(room.isMember(target.name()) || room.isInvited(target.name()))) {
            throw new Rejected(Reason.NOT_MEMBER, "that user is not in #" + room.name());
        }
        if (target == user) {
            throw new Rejected(Reason.FORBIDDEN, "the owner leaves a room with leave, not kick");
        }
        commit.accept(new RoomKicked(room.name(), target.name(), clock.millis()));
    }

    /** One line of a user's room list. */
    public record RoomEntry(String room, boolean member, int members) {}

    public List<RoomEntry> of(User user) {
        var out = new ArrayList<RoomEntry>();
        for (String name : state.roomsOf(user)) {
            Room r = state.room(name);
            out.add(new RoomEntry(name, r.isMember(user.name()), r.memberCount()));
        }
        return out;
    }

    public enum Role {
        OWNER(1), MEMBER(2), INVITED(3);

        private final int code;

        Role(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public record MemberEntry(String user, Role role) {}

    /** Owner first, then members in join order, then invitations; only for members and invitees. */
    public List<MemberEntry> members(User user, String rawRoom) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        var out = new ArrayList<MemberEntry>();
        out.add(new MemberEntry(room.owner(), Role.OWNER));
        for (String m : room.memberNames()) {
            if (!m.equals(room.owner())) {
                out.add(new MemberEntry(m, Role.MEMBER));
            }
        }
        for (String i : room.invitedNames()) {
            out.add(new MemberEntry(i, Role.INVITED));
        }
        return out;
    }

    private Room visibleRoom(User user, String rawRoom) throws Rejected {
        String name = Names.room(rawRoom);
        Room room = state.room(name);
        if (room == null || !(room.isMember(user.name()) || room.isInvited(user.name()))) {
            throw new Rejected(Reason.NOT_MEMBER, "you are not in #" + name);
        }
        return room;
    }

    private static void requireOwner(User user, Room room) throws Rejected {
        if (!room.owner().equals(user.name())) {
            throw new Rejected(Reason.FORBIDDEN, "only the owner of #" + room.name() + " can do that");
        }
    }

    private User lookupUser(String rawUser) {
        try {
            return state.user(Names.userRef(rawUser));
        } catch (Rejected invalid) {
            return null;
        }
    }
}
