package crumbhub.client.cli;

import crumbhub.client.ops.Operation;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomInfo;

import java.util.Locale;

/** room create | join | leave | invite | kick | list | members: one {@link Operation.Call} each. */
final class RoomCommands {
    private RoomCommands() {}

    static int create(Context ctx, Operation.CreateRoom op) {
        return simple(ctx, op, "created #" + op.room());
    }

    static int join(Context ctx, Operation.JoinRoom op) {
        return simple(ctx, op, "joined #" + op.room());
    }

    static int leave(Context ctx, Operation.LeaveRoom op) {
        return simple(ctx, op, "left #" + op.room());
    }

    static int invite(Context ctx, Operation.Invite op) {
        return simple(ctx, op, "invited " + op.user() + " to #" + op.room());
    }

    static int kick(Context ctx, Operation.Kick op) {
        return simple(ctx, op, "removed " + op.user() + " from #" + op.room());
    }

    /** One line a room: {@code #name  member  3 members}. */
    static int list(Context ctx, Operation.ListRooms op) {
        try (var s = Sessions.resume(ctx, f -> {})) {
            var reply = op.callOn(s.session());
            for (RoomInfo r : reply.items()) {
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
    static int members(Context ctx, Operation.ListMembers op) {
        try (var s = Sessions.resume(ctx, f -> {})) {
            var reply = op.callOn(s.session());
            for (MemberInfo m : reply.items()) {
                ctx.println(String.format("%-32s %s", m.user(), m.role().name().toLowerCase(Locale.ROOT)));
            }
            if (reply.more()) {
                ctx.println("(more members not shown)");
            }
            return 0;
        }
    }

    /** A membership change, signed by the account identity as the room's next log statement (docs/crypto.md "Room membership"). */
    private static int simple(Context ctx, Operation.Membership op, String done) {
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            e2e.maintain();
            e2e.changeRoom(op.change(), op.room(), op.subject());
            ctx.println(done);
            return 0;
        }
    }
}
