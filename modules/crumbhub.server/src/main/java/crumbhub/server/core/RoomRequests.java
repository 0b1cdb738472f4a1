package crumbhub.server.core;

import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Rejected;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomLogFrame;

/**
 * ROOM_CREATE, ROOM_INVITE, ROOM_JOIN, ROOM_LEAVE, ROOM_KICK, ROOM_LIST and ROOM_MEMBERS (protocol §4),
 * ROOM_STATEMENT and ROOM_LOG (protocol §8). Core thread.
 */
final class RoomRequests {
    private final Domain domain;
    private final Replies replies;
    private final MembershipPush push;

    RoomRequests(Domain domain, Replies replies, MembershipPush push) {
        this.domain = domain;
        this.replies = replies;
        this.push = push;
    }

    /** {@code change}, then the MEMBERSHIP_CHANGED pushes of what it changed (docs/protocol.md). */
    private Replies.Change pushed(Session s, Replies.Change change) {
        return () -> {
            var before = push.before(s.device().user());
            change.run();
            push.after(before, s.device().user());
        };
    }

    void create(Session s, RoomFrame.RoomCreate x) {
        replies.growth(s, x.requestId(), () -> domain.rooms().create(s.device().user(), x.room()));
    }

    void invite(Session s, RoomFrame.RoomInvite x) {
        replies.growth(s, x.requestId(), pushed(s, () -> domain.rooms().invite(s.device().user(), x.room(), x.user())));
    }

    void join(Session s, RoomFrame.RoomJoin x) {
        replies.growth(s, x.requestId(), pushed(s, () -> domain.rooms().join(s.device().user(), x.room())));
    }

    void leave(Session s, RoomFrame.RoomLeave x) {
        replies.change(s, x.requestId(), pushed(s, () -> domain.rooms().leave(s.device().user(), x.room())));
    }

    void kick(Session s, RoomFrame.RoomKick x) {
        replies.change(s, x.requestId(), pushed(s, () -> domain.rooms().kick(s.device().user(), x.room(), x.user())));
    }

    /** A signed statement makes the log grow for good, whatever it changes: refused below the disk watermark too. */
    void statement(Session s, RoomLogFrame.RoomStatement x) {
        replies.growth(s, x.requestId(), pushed(s, () -> domain.rooms().signed(s.device().user(), x.statement().bytes())));
    }

    void log(Session s, RoomLogFrame.RoomLog x) {
        try {
            var slice = domain.rooms().log(s.device().user(), x.room(), x.from());
            var entries = slice.statements().stream().map(RoomLogFrame.Statement::new).toList();
            s.peer().send(RoomLogFrame.RoomLogReply.fitting(x.requestId(), slice.room(), x.from(), slice.length(), entries));
        } catch (Rejected r) {
            s.peer().send(Errors.of(x.requestId(), r));
        }
    }

    void list(Session s, RoomFrame.RoomList x) {
        s.peer().send(Listings.rooms(x.requestId(), domain.rooms().of(s.device().user())));
    }

    void members(Session s, RoomFrame.RoomMembers x) {
        try {
            s.peer().send(Listings.members(x.requestId(), domain.rooms().members(s.device().user(), x.room())));
        } catch (Rejected r) {
            s.peer().send(Errors.of(x.requestId(), r));
        }
    }
}
