package crumbhub.client.cli;

import crumbhub.client.message.Names;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomInfo;

import java.util.Locale;

/** room create | join | leave | invite | kick | list | members: one ROOM_* request each. */
final class RoomCommands {
    private RoomCommands() {}

    static int create(Context ctx) {
        String room = Names.room(ctx.command.positional(0));
        return simple(ctx, "room create #" + room, id -> new RoomFrame.RoomCreate(id, room), "created #" + room);
    }

    static int join(Context ctx) {
        String room = Names.room(ctx.command.positional(0));
        return simple(ctx, "room join #" + room, id -> new RoomFrame.RoomJoin(id, room), "joined #" + room);
    }

    static int leave(Context ctx) {
        String room = Names.room(ctx.command.positional(0));
        return simple(ctx, "room leave #" + room, id -> new RoomFrame.RoomLeave(id, room), "left #" + room);
    }

    static int invite(Context ctx) {
        String room = Names.room(ctx.command.positional(0));
        String user = Names.user(ctx.command.positional(1));
        return simple(ctx, "room invite #" + room + " " + user, id -> new RoomFrame.RoomInvite(id, room, user),
                "invited " + user + " to #" + room);
    }

    static int kick(Context ctx) {
        String room = Names.room(ctx.command.positional(0));
        String user = Names.user(ctx.command.positional(1));
        return simple(ctx, "room kick #" + room + " " + user, id -> new RoomFrame.RoomKick(id, room, user),
                "removed " + user + " from #" + room);
    }

    /** One line a room: {@code #name  member  3 members}. */
    static int list(Context ctx) {
        try (var s = Sessions.resume(ctx, f -> {})) {
            var reply = s.session().call("room list", RoomFrame.RoomList::new, RoomFrame.RoomListReply.class);
            for (RoomInfo r : reply.rooms()) {
                ctx.println(String.format("%-33s %-8s %d member%s", "#" + r.room(),
                        r.status().name().toLowerCase(Locale.ROOT), r.members(), r.members() == 1 ? "" : "s"));
            }
            if (reply.more()) {
                ctx.println("(more rooms not shown)");
            }
            return 0;
        }
    }

    /** One line a member: {@code alice  owner}. */
    static int members(Context ctx) {
        String room = Names.room(ctx.command.positional(0));
        try (var s = Sessions.resume(ctx, f -> {})) {
            var reply = s.session().call("room members #" + room, id -> new RoomFrame.RoomMembers(id, room),
                    RoomFrame.MemberList.class);
            for (MemberInfo m : reply.members()) {
                ctx.println(String.format("%-32s %s", m.user(), m.role().name().toLowerCase(Locale.ROOT)));
            }
            if (reply.more()) {
                ctx.println("(more members not shown)");
            }
            return 0;
        }
    }

    private static int simple(Context ctx, String what, java.util.function.IntFunction<Frame> request, String done) {
        try (var s = Sessions.resume(ctx, f -> {})) {
            s.session().call(what, request, ControlFrame.Ok.class);
            ctx.println(done);
            return 0;
        }
    }
}
