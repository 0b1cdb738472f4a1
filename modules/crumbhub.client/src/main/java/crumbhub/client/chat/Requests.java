package crumbhub.client.chat;

import crumbhub.wire.DeviceInfo;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.RoomInfo;

import java.util.List;

/**
 * The requests the chat and the daemon both make, over {@link SessionEngine#request}. Callbacks
 * run on the session thread with a result or a {@link Failure}.
 */
public final class Requests {
    /** What {@link #joinOrCreate} did. */
    public enum Joined { JOINED, CREATED }

    private final SessionEngine engine;

    public Requests(SessionEngine engine) {
        this.engine = engine;
    }

    /**
     * Joins {@code room}; if no such room exists, creates it (the user becomes its owner), the
     * way IRC's {@code /join} makes a channel. A room that exists without an invitation stays
     * refused ({@code forbidden}).
     */
    public void joinOrCreate(String room, SessionEngine.Callback<Joined> done) {
        engine.request(id -> new Frame.RoomJoin(id, room), Frame.Ok.class, (ok, failure) -> {
            if (failure == null) {
                done.done(Joined.JOINED, null);
            } else if (failure.code().equals(ErrorCode.NOT_FOUND.code())) {
                engine.request(id -> new Frame.RoomCreate(id, room), Frame.Ok.class,
                        (created, f2) -> done.done(f2 == null ? Joined.CREATED : null, f2));
            } else {
                done.done(null, failure);
            }
        });
    }

    public void leave(String room, SessionEngine.Callback<Frame.Ok> done) {
        engine.request(id -> new Frame.RoomLeave(id, room), Frame.Ok.class, done);
    }

    public void invite(String room, String user, SessionEngine.Callback<Frame.Ok> done) {
        engine.request(id -> new Frame.RoomInvite(id, room, user), Frame.Ok.class, done);
    }

    public void kick(String room, String user, SessionEngine.Callback<Frame.Ok> done) {
        engine.request(id -> new Frame.RoomKick(id, room, user), Frame.Ok.class, done);
    }

    public void rooms(SessionEngine.Callback<List<RoomInfo>> done) {
        engine.request(Frame.RoomList::new, Frame.RoomListReply.class,
                (reply, failure) -> done.done(reply == null ? null : reply.rooms(), failure));
    }

    public void members(String room, SessionEngine.Callback<List<MemberInfo>> done) {
        engine.request(id -> new Frame.RoomMembers(id, room), Frame.MemberList.class,
                (reply, failure) -> done.done(reply == null ? null : reply.members(), failure));
    }

    public void devices(SessionEngine.Callback<List<DeviceInfo>> done) {
        engine.request(Frame.Devices::new, Frame.DeviceList.class,
                (reply, failure) -> done.done(reply == null ? null : reply.devices(), failure));
    }
}
