package crumbhub.server.domain;

import crumbhub.server.domain.Change.RoomCreated;
import crumbhub.server.domain.Change.RoomInvited;
import crumbhub.server.domain.Change.RoomJoined;
import crumbhub.server.domain.Change.RoomKicked;
import crumbhub.server.domain.Change.RoomLeft;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.account.RoomStatement;
import crumbhub.crypto.account.RoomStatement.Action;
import java.security.MessageDigest;
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
        invite(user, rawRoom, rawInvitee, null);
    }

    private void invite(User user, String rawRoom, String rawInvitee, byte[] statement) throws Rejected {
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
            if (statement != null) {
                throw new Rejected(Reason.EXISTS, invitee.name() + " is already invited to #" + room.name());
            }
            return;
        }
        if (room.memberCount() + room.invitedNames().size() >= MAX_ROOM_SIZE) {
            throw new Rejected(Reason.TOO_LARGE, "#" + room.name() + " is full (" + MAX_ROOM_SIZE + ")");
        }
        quotas.invite(user, invitee);
        commit.accept(statement == null ? new RoomInvited(room.name(), invitee.name(), clock.millis())
                : signed(room.name(), user, Action.INVITE, invitee.name(), statement));
    }

    /** An invited user joins. Joining a room one is already a member of is a no-op. */
    public void join(User user, String rawRoom) throws Rejected {
        join(user, rawRoom, null);
    }

    private void join(User user, String rawRoom, byte[] statement) throws Rejected {
        String name = Names.room(rawRoom);
        Room room = state.room(name);
        if (room == null) {
            throw new Rejected(Reason.NOT_FOUND, "no room #" + name);
        }
        if (room.isMember(user.name())) {
            if (statement != null) {
                throw new Rejected(Reason.EXISTS, "you are already a member of #" + name);
            }
            return;
        }
        if (!room.isInvited(user.name())) {
            throw new Rejected(Reason.FORBIDDEN, "#" + name + " is invite-only and you are not invited");
        }
        quotas.joinRoom(user);
        commit.accept(statement == null ? new RoomJoined(name, user.name(), clock.millis())
                : signed(name, user, Action.JOIN, "", statement));
    }

    /** A member leaves (ownership passes to the longest-standing member), or an invitee declines. */
    public void leave(User user, String rawRoom) throws Rejected {
        leave(user, rawRoom, null);
    }

    private void leave(User user, String rawRoom, byte[] statement) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        commit.accept(statement == null ? new RoomLeft(room.name(), user.name(), clock.millis())
                : signed(room.name(), user, Action.LEAVE, "", statement));
    }

    /** The owner removes a member or withdraws an invitation. */
    public void kick(User user, String rawRoom, String rawTarget) throws Rejected {
        kick(user, rawRoom, rawTarget, null);
    }

    private void kick(User user, String rawRoom, String rawTarget, byte[] statement) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        requireOwner(user, room);
        User target = lookupUser(rawTarget);
        if (target == null || !(room.isMember(target.name()) || room.isInvited(target.name()))) {
            throw new Rejected(Reason.NOT_MEMBER, "that user is not in #" + room.name());
        }
        if (target == user) {
            throw new Rejected(Reason.FORBIDDEN, "the owner leaves a room with leave, not kick");
        }
        commit.accept(statement == null ? new RoomKicked(room.name(), target.name(), clock.millis())
                : signed(room.name(), user, Action.KICK, target.name(), statement));
    }

    /**
     * Appends a signed statement (docs/protocol.md §8) and applies its change under the same rules
     * as the unsigned requests. The server cannot verify the signature (the clients do); it checks
     * what it can: the statement decodes, its actor is the requesting user, it is the next entry of
     * the room's log (number and previous hash), and its change is allowed. A CREATE of a room that
     * exists without a log is its owner signing the room as it stands: its lists must equal the
     * room's members (join order, owner excluded) and invitations. A change that would do nothing
     * is refused ({@code exists}), so every entry changes something.
     */
    public void signed(User user, byte[] encoded) throws Rejected {
        RoomStatement st;
        try {
            st = RoomStatement.decode(encoded);
        } catch (CryptoException e) {
            throw new Rejected(Reason.INVALID_KEY, "the room statement does not decode: " + e.getMessage());
        }
        if (!st.actor().equals(user.name())) {
            throw new Rejected(Reason.FORBIDDEN, "a room statement must be signed as yourself");
        }
        String name = Names.room(st.room());
        Room room = state.room(name);
        int length = room == null ? 0 : room.logLength();
        byte[] head = room == null ? new byte[0] : room.logHead();
        if (st.seq() != length || !MessageDigest.isEqual(st.previous(), head)) {
            throw new Rejected(Reason.WRONG_STATE, "the membership log of #" + name + " holds " + length
                    + " statements and this one does not follow the last; read it again");
        }
        if ((st.seq() == 0) != (st.action() == Action.CREATE)) {
            throw new Rejected(Reason.FORBIDDEN, "the first statement of a room, and only it, creates the room");
        }
        switch (st.action()) {
            case CREATE -> {
                if (!st.subject().isEmpty()) {
                    throw new Rejected(Reason.FORBIDDEN, "a room's first statement names no subject");
                }
                if (room == null) {
                    if (!st.members().isEmpty() || !st.invited().isEmpty()) {
                        throw new Rejected(Reason.FORBIDDEN, "a new room starts with its owner alone");
                    }
                    quotas.joinRoom(user);
                } else {
                    requireOwner(user, visibleRoom(user, name));
                    var others = new ArrayList<>(room.memberNames());
                    others.remove(room.owner());
                    if (!st.members().equals(others) || !st.invited().equals(room.invitedNames())) {
                        throw new Rejected(Reason.WRONG_STATE, "the statement does not list the members and"
                                + " invitations of #" + name + " as they are");
                    }
                }
                commit.accept(signed(name, user, Action.CREATE, "", encoded));
            }
            case INVITE -> invite(user, name, st.subject(), encoded);
            case JOIN -> join(user, name, encoded);
            case LEAVE -> leave(user, name, encoded);
            case KICK -> kick(user, name, st.subject(), encoded);
        }
    }

    private Change signed(String room, User actor, Action action, String subject, byte[] statement) {
        return new Change.RoomSigned(room, actor.name(), action.code(), subject, statement, clock.millis());
    }

    /** The log of a room from statement {@code from} on, and its length; for members and invitees. */
    public record LogSlice(String room, int length, List<byte[]> statements) {}

    public LogSlice log(User user, String rawRoom, int from) throws Rejected {
        Room room = visibleRoom(user, rawRoom);
        return new LogSlice(room.name(), room.logLength(), room.log(from));
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
