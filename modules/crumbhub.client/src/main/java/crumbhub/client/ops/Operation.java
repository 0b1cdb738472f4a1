package crumbhub.client.ops;

import crumbhub.client.format.MessageText;
import crumbhub.client.message.Names;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.Frame;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomInfo;

import java.util.List;
import java.util.Objects;

/**
 * The operations a logged-in client performs, defined once for every front end: the CLI
 * ({@code cli.Specs}), the chat ({@code tui.chat.ChatCommands}) and the bot daemon
 * ({@code daemon.Request}) each map their own syntax onto these records and run them; what a
 * front end prints about the result stays its own. A record checks and folds its room and user
 * names ({@link Names}: a {@code #} or {@code @} prefix is dropped, a bad name is a usage error).
 *
 * <p>Adding an operation is one record here (with its request, when it is one server call) and
 * its syntax in each front end: the CLI binds every operation to a command in {@code cli.Specs},
 * and the chat's and the daemon's exhaustive {@code switch}es over {@link Common} fail to compile
 * until they run a new common operation; {@code OperationReachabilityTest} checks that each front
 * end's syntax reaches each operation it offers.
 */
public sealed interface Operation {
    /**
     * An operation that is one request to the server and one reply; {@code R} is what the reply
     * says. Runs blocking with {@link #callOn} (the CLI) or through the session engine (chat, daemon).
     */
    sealed interface Call<R> extends Operation {
        /** Names the request in error sentences: {@code "room create #dev"}. */
        String what();

        /** The request frame with request id {@code id}. */
        Frame request(int id);

        /** The reply that means success; an ERROR (or anything else) is a failure. */
        Class<? extends Frame> replyType();

        /** The result, from a reply of {@link #replyType()}. */
        R result(Frame reply);

        /** Sends the request on {@code session} and waits for the reply; blocks the calling thread. */
        default R callOn(ClientSession session) {
            return result(session.call(what(), this::request, replyType()));
        }
    }

    /** A call whose success is a plain OK: room changes and device revocation. */
    sealed interface Acknowledged extends Call<ControlFrame.Ok> {
        @Override
        default Class<ControlFrame.Ok> replyType() {
            return ControlFrame.Ok.class;
        }

        @Override
        default ControlFrame.Ok result(Frame reply) {
            return (ControlFrame.Ok) reply;
        }
    }

    /**
     * A membership change of the user's own: besides its unsigned request (kept for rooms from
     * before signed membership), it is signed and sent by {@code E2eClient#changeRoom}, which every
     * front end uses (docs/crypto.md "Room membership").
     */
    sealed interface Membership extends Acknowledged {
        crumbhub.client.e2e.E2eClient.RoomChange change();

        String room();

        /** The user invited or removed; empty for the others. */
        default String subject() {
            return "";
        }
    }

    /**
     * The operations every front end offers (the CLI, the chat and the daemon). The chat and the
     * daemon take only these, so their exhaustive {@code switch}es cover exactly this set; the
     * others ({@link CreateRoom}, {@link RevokeDevice}) are CLI commands only, because the chat's
     * and the daemon's join creates a missing room and revoking a device is account administration.
     */
    sealed interface Common extends Operation {
    }

    /** A list from the server; {@code more} when it did not fit one reply. */
    record Listing<T>(List<T> items, boolean more) {
        public Listing {
            items = List.copyOf(items);
        }
    }

    /** A message (text, a /me action or a room topic) to a room or a user, end-to-end encrypted. */
    record Send(Target to, MessageText text) implements Common {
        public Send {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Send[" + to.display() + ", " + text + "]";
        }
    }

    /**
     * A reply, reaction, edit or delete of message {@code interaction.to()}, end-to-end encrypted
     * to the conversation that message belongs to in this device's history ({@code to} when given:
     * a reply names its conversation as {@code send} does). {@code text}: the reply's or edit's
     * text, the emoji, empty for a delete. Only the author edits or deletes (docs/client.md
     * "Replies, reactions, edits and deletes").
     */
    record Interact(java.util.Optional<Target> to, crumbhub.client.message.Interaction interaction, String text)
            implements Common {
        public Interact {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(interaction, "interaction");
            Objects.requireNonNull(text, "text");
            String problem = crumbhub.client.message.Interaction.problem(interaction, text);
            if (problem != null) {
                throw crumbhub.client.ClientException.usage(problem);
            }
        }

        @Override
        public String toString() {
            return "Interact[" + interaction + ", " + text.length() + " chars]";
        }
    }

    /** The safety number shared with {@code user}; {@code confirm} marks their current devices verified. */
    record Verify(String user, boolean confirm) implements Common {
        public Verify {
            user = Names.user(user);
        }
    }

    /** A new room; the user becomes its owner. */
    record CreateRoom(String room) implements Membership {
        public CreateRoom {
            room = Names.room(room);
        }

        @Override
        public crumbhub.client.e2e.E2eClient.RoomChange change() {
            return crumbhub.client.e2e.E2eClient.RoomChange.CREATE;
        }

        @Override
        public String what() {
            return "room create #" + room;
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomCreate(id, room);
        }
    }

    /**
     * Joins a room one was invited to. The chat and the daemon create the room when it does not
     * exist (the way IRC's {@code /join} makes a channel; {@code chat.Requests#joinOrCreate}).
     */
    record JoinRoom(String room) implements Membership, Common {
        public JoinRoom {
            room = Names.room(room);
        }

        @Override
        public crumbhub.client.e2e.E2eClient.RoomChange change() {
            return crumbhub.client.e2e.E2eClient.RoomChange.JOIN;
        }

        @Override
        public String what() {
            return "room join #" + room;
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomJoin(id, room);
        }
    }

    record LeaveRoom(String room) implements Membership, Common {
        public LeaveRoom {
            room = Names.room(room);
        }

        @Override
        public crumbhub.client.e2e.E2eClient.RoomChange change() {
            return crumbhub.client.e2e.E2eClient.RoomChange.LEAVE;
        }

        @Override
        public String what() {
            return "room leave #" + room;
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomLeave(id, room);
        }
    }

    record Invite(String room, String user) implements Membership, Common {
        public Invite {
            room = Names.room(room);
            user = Names.user(user);
        }

        @Override
        public crumbhub.client.e2e.E2eClient.RoomChange change() {
            return crumbhub.client.e2e.E2eClient.RoomChange.INVITE;
        }

        @Override
        public String subject() {
            return user;
        }

        @Override
        public String what() {
            return "room invite #" + room + " " + user;
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomInvite(id, room, user);
        }
    }

    /** Removes {@code user} from a room; they receive nothing sent after that. */
    record Kick(String room, String user) implements Membership, Common {
        public Kick {
            room = Names.room(room);
            user = Names.user(user);
        }

        @Override
        public crumbhub.client.e2e.E2eClient.RoomChange change() {
            return crumbhub.client.e2e.E2eClient.RoomChange.KICK;
        }

        @Override
        public String subject() {
            return user;
        }

        @Override
        public String what() {
            return "room kick #" + room + " " + user;
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomKick(id, room, user);
        }
    }

    /** The rooms one is in or invited to. */
    record ListRooms() implements Call<Listing<RoomInfo>>, Common {
        @Override
        public String what() {
            return "room list";
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomList(id);
        }

        @Override
        public Class<RoomFrame.RoomListReply> replyType() {
            return RoomFrame.RoomListReply.class;
        }

        @Override
        public Listing<RoomInfo> result(Frame reply) {
            var r = (RoomFrame.RoomListReply) reply;
            return new Listing<>(r.rooms(), r.more());
        }
    }

    /** A room's members and invitees with their roles. */
    record ListMembers(String room) implements Call<Listing<MemberInfo>>, Common {
        public ListMembers {
            room = Names.room(room);
        }

        @Override
        public String what() {
            return "room members #" + room;
        }

        @Override
        public Frame request(int id) {
            return new RoomFrame.RoomMembers(id, room);
        }

        @Override
        public Class<RoomFrame.MemberList> replyType() {
            return RoomFrame.MemberList.class;
        }

        @Override
        public Listing<MemberInfo> result(Frame reply) {
            var r = (RoomFrame.MemberList) reply;
            return new Listing<>(r.members(), r.more());
        }
    }

    /** The user's devices. */
    record ListDevices() implements Call<Listing<DeviceInfo>>, Common {
        @Override
        public String what() {
            return "devices";
        }

        @Override
        public Frame request(int id) {
            return new DeviceFrame.Devices(id);
        }

        @Override
        public Class<DeviceFrame.DeviceList> replyType() {
            return DeviceFrame.DeviceList.class;
        }

        @Override
        public Listing<DeviceInfo> result(Frame reply) {
            var r = (DeviceFrame.DeviceList) reply;
            return new Listing<>(r.devices(), r.more());
        }
    }

    /**
     * Revokes another device of the user.
     *
     * @param device the device id (unsigned 32 bits)
     */
    record RevokeDevice(int device) implements Acknowledged {
        @Override
        public String what() {
            return "devices revoke " + Integer.toUnsignedString(device);
        }

        @Override
        public Frame request(int id) {
            return new DeviceFrame.DeviceRevoke(id, device);
        }
    }
}
