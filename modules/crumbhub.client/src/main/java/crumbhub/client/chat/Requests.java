package crumbhub.client.chat;

import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.RoomFrame;
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
        engine.request(id -> new RoomFrame.RoomJoin(id, room), ControlFrame.Ok.class, (ok, failure) -> {
            if (failure == null) {
                done.done(Joined.JOINED, null);
            } else if (failure.code().equals(ErrorCode.NOT_FOUND.code())) {
                engine.request(id -> new RoomFrame.RoomCreate(id, room), ControlFrame.Ok.class,
                        (created, f2) -> done.done(f2 == null ? Joined.CREATED : null, f2));
            } else {
                done.done(null, failure);
            }
        });
    }

    public void leave(String room, SessionEngine.Callback<ControlFrame.Ok> done) {
        engine.request(id -> new RoomFrame.RoomLeave(id, room), ControlFrame.Ok.class, done);
    }

    public void invite(String room, String user, SessionEngine.Callback<ControlFrame.Ok> done) {
        engine.request(id -> new RoomFrame.RoomInvite(id, room, user), ControlFrame.Ok.class, done);
    }

    public void kick(String room, String user, SessionEngine.Callback<ControlFrame.Ok> done) {
        engine.request(id -> new RoomFrame.RoomKick(id, room, user), ControlFrame.Ok.class, done);
    }

    public void rooms(SessionEngine.Callback<List<RoomInfo>> done) {
        engine.request(RoomFrame.RoomList::new, RoomFrame.RoomListReply.class,
                (reply, failure) -> done.done(reply == null ? null : reply.rooms(), failure));
    }

    public void members(String room, SessionEngine.Callback<List<MemberInfo>> done) {
        engine.request(id -> new RoomFrame.RoomMembers(id, room), RoomFrame.MemberList.class,
                (reply, failure) -> done.done(reply == null ? null : reply.members(), failure));
    }

    public void devices(SessionEngine.Callback<List<DeviceInfo>> done) {
        engine.request(DeviceFrame.Devices::new, DeviceFrame.DeviceList.class,
                (reply, failure) -> done.done(reply == null ? null : reply.devices(), failure));
    }
}
