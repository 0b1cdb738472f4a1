package crumbhub.server.core;

import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Room;
import crumbhub.server.domain.RoomRules;
import crumbhub.server.domain.User;
import crumbhub.wire.MembershipFrame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MEMBERSHIP_CHANGED pushes (docs/protocol.md "MEMBERSHIP_CHANGED"): around a room request or a
 * signed room statement, the rooms its user can see are looked at before and after; each
 * invitation, join, leave and kick between the two is pushed, once durable, to every connected
 * device of every user who was or is a member or invited of that room (so a kicked user hears of
 * it too). Costs one look at the user's rooms per membership request, nothing per message. Core
 * thread.
 */
final class MembershipPush {
    private final Domain domain;
    private final Journal journal;
    private final Delivery delivery;

    MembershipPush(Domain domain, Journal journal, Delivery delivery) {
        this.domain = domain;
        this.journal = journal;
        this.delivery = delivery;
    }

    /** Who is in a room and who is invited, at one moment. */
    record Roster(Set<String> members, Set<String> invited) {
        static Roster of(Room room) {
            return room == null ? new Roster(Set.of(), Set.of())
                    : new Roster(new LinkedHashSet<>(room.memberNames()), new LinkedHashSet<>(room.invitedNames()));
        }
    }

    /** The rosters of the rooms {@code user} is in or invited to, before a change. */
    Map<String, Roster> before(User user) {
        var out = new HashMap<String, Roster>();
        for (RoomRules.RoomEntry e : domain.rooms().of(user)) {
            out.put(e.room(), Roster.of(domain.state().room(e.room())));
        }
        return out;
    }

    /** Pushes what changed since {@code before} in the rooms {@code actor} saw then or sees now, once durable. */
    void after(Map<String, Roster> before, User actor) {
        var rooms = new LinkedHashSet<>(before.keySet());
        for (RoomRules.RoomEntry e : domain.rooms().of(actor)) {
            rooms.add(e.room());
        }
        var pushes = new ArrayList<Push>();
        for (String name : rooms) {
            Roster was = before.getOrDefault(name, new Roster(Set.of(), Set.of()));
            Roster now = Roster.of(domain.state().room(name));
            var changes = new ArrayList<MembershipFrame.MembershipChanged>();
            for (String u : now.invited()) {
                if (!was.invited().contains(u)) {
                    changes.add(new MembershipFrame.MembershipChanged(0, name, MembershipFrame.INVITE, u, actor.name()));
                }
            }
            for (String u : now.members()) {
                if (!was.members().contains(u) && !was.members().isEmpty()) {
                    changes.add(new MembershipFrame.MembershipChanged(0, name, MembershipFrame.JOIN, u, actor.name()));
                }
            }
            for (String u : was.members()) {
                if (!now.members().contains(u)) {
                    int action = u.equals(actor.name()) ? MembershipFrame.LEAVE : MembershipFrame.KICK;
                    changes.add(new MembershipFrame.MembershipChanged(0, name, action, u, actor.name()));
                }
            }
            if (!changes.isEmpty()) {
                var told = new LinkedHashSet<String>();
                told.addAll(was.members());
                told.addAll(was.invited());
                told.addAll(now.members());
                told.addAll(now.invited());
                pushes.add(new Push(List.copyOf(told), changes));
            }
        }
        if (!pushes.isEmpty()) {
            journal.afterDurable(() -> pushes.forEach(this::send), () -> { });
        }
    }

    private record Push(List<String> users, List<MembershipFrame.MembershipChanged> frames) {
    }

    private void send(Push p) {
        for (String name : p.users()) {
            User u = domain.state().user(name);
            if (u == null) {
                continue;
            }
            for (Device d : u.activeDevices()) {
                for (Session s : delivery.sessionsOf(d)) {
                    p.frames().forEach(f -> s.peer().send(f));
                }
            }
        }
    }
}
