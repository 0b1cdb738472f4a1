package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

/**
 * Room membership pushed by the server (0x90, docs/protocol.md "MEMBERSHIP_CHANGED"): when someone
 * is invited to, joins, leaves or is kicked from a room, every connected device of every user the
 * change concerns (the members and invited users before and after it) gets one push, so clients
 * need not poll the room list. It says only what the server already knows (who is in which room);
 * the clients' signed membership log stays the authority on who may read a room (docs/crypto.md
 * "Room membership").
 */
public sealed interface MembershipFrame extends Frame {
    int INVITE = 1;
    int JOIN = 2;
    int LEAVE = 3;
    int KICK = 4;

    /**
     * 0x90 MEMBERSHIP_CHANGED, S→C push (requestId 0): {@code str8(NAME) room, u8 action (1 invite,
     * 2 join, 3 leave, 4 kick), str8(NAME) user (whom it is about), str8(NAME) by (who did it)}.
     */
    record MembershipChanged(int requestId, String room, int action, String user, String by) implements MembershipFrame {
        public MembershipChanged {
            Checks.str(room, Limits.NAME, "room");
            if (action < INVITE || action > KICK) {
                throw new IllegalArgumentException("unknown membership action " + action);
            }
            Checks.str(user, Limits.NAME, "user");
            Checks.str(by, Limits.NAME, "by");
        }

        /** The action's name, as the docs write it. */
        public String actionName() {
            return switch (action) {
                case INVITE -> "invite";
                case JOIN -> "join";
                case LEAVE -> "leave";
                default -> "kick";
            };
        }

        @Override
        public int typeCode() {
            return FrameType.MEMBERSHIP_CHANGED.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room).u8(action).str8(user).str8(by);
        }

        static MembershipChanged read(int requestId, BinaryReader<MalformedFrameException> in)
                throws MalformedFrameException {
            String room = in.str8(Limits.NAME, "room");
            int action = in.u8();
            if (action < INVITE || action > KICK) {
                throw new MalformedFrameException(requestId, "unknown membership action " + action);
            }
            return new MembershipChanged(requestId, room, action, in.str8(Limits.NAME, "user"),
                    in.str8(Limits.NAME, "by"));
        }
    }
}
