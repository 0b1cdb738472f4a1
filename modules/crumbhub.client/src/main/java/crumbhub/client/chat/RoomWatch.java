package crumbhub.client.chat;

import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.ops.Operation;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.RoomInfo;
import crumbhub.wire.RoomStatus;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the chat knows about rooms, and the room commands: the rooms the user is in (from the
 * server's room list, read at every connection and whenever the server pushes a membership change
 * (MEMBERSHIP_CHANGED, docs/protocol.md), never polled), their members (for {@code /who} and nick completion), and the
 * invitations already announced. Session thread only.
 */
final class RoomWatch {
    /** A local line to store in a conversation's history and show. */
    @FunctionalInterface
    interface LocalLine {
        void add(ConversationId where, HistoryRecord.Kind kind, String text);
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final String me;
    private final Requests requests;
    private final Consumer<UiEvent> post;
    /** Rooms open in the UI: from the history or the room list. */
    private final Set<ConversationId> open = new HashSet<>();
    private final Map<ConversationId, LinkedHashSet<String>> members = new HashMap<>();
    private final Set<String> invitationsShown = new HashSet<>();
    private final Set<ConversationId> goneShown = new HashSet<>();

    RoomWatch(String me, Requests requests, Consumer<UiEvent> post) {
        this.me = me;
        this.requests = requests;
        this.post = post;
    }

    /** A room shown from the history. */
    void known(ConversationId room) {
        open.add(room);
    }

    /** Someone wrote in a room: a member the list may not have yet (joined since). */
    void spoke(ConversationId room, String user) {
        var names = members.get(room);
        if (names != null && names.add(user)) {
            post.accept(new UiEvent.MembersChanged(room, List.copyOf(names), false));
        }
    }

    /**
     * Asks for the room list: member rooms open (and their members are fetched), new invitations
     * are announced once, rooms the user was removed from are said so once.
     */
    void refresh(boolean withMembers) {
        requests.call(new Operation.ListRooms(), (listing, failure) -> {
            if (failure != null) {
                return; // offline again, or a timeout: the next refresh tries again
            }
            var list = listing.items();
            var current = new HashSet<ConversationId>();
            for (RoomInfo r : list) {
                var room = ConversationId.room(r.room());
                if (r.status() == RoomStatus.MEMBER) {
                    current.add(room);
                    goneShown.remove(room);
                    if (open.add(room)) {
                        post.accept(new UiEvent.ConversationOpened(room, false));
                        fetchMembers(room, false);
                    } else if (withMembers || !members.containsKey(room)) {
                        fetchMembers(room, false);
                    }
                    // membership changes nobody wrote after: shown at the next refresh (docs/client.md "Membership events")
                    requests.roomEvents(r.room(), events -> events.forEach(e ->
                            post.accept(new UiEvent.InfoLine(Optional.of(room), e.text()))));
                } else if (invitationsShown.add(r.room())) {
                    post.accept(new UiEvent.InfoLine(Optional.of(ConversationId.STATUS),
                            "you are invited to " + room.label() + ": /join " + room.label()));
                }
            }
            for (ConversationId room : open) {
                if (!current.contains(room) && goneShown.add(room)) {
                    post.accept(new UiEvent.ErrorLine(Optional.of(room), "you are not a member of " + room.label()
                            + " (any more): messages sent here are refused"));
                }
            }
        });
    }

    void join(ConversationId room, LocalLine line) {
        requests.joinOrCreate(new Operation.JoinRoom(room.name()), (joined, failure) -> {
            if (failure != null) {
                post.accept(new UiEvent.ErrorLine(Optional.of(ConversationId.STATUS),
                        "cannot join " + room.label() + ": " + describe(failure)));
                if (!open.contains(room)) {
                    post.accept(new UiEvent.ConversationClosed(room));
                }
                return;
            }
            open.add(room);
            goneShown.remove(room);
            line.add(room, HistoryRecord.Kind.NOTICE, joined == Requests.Joined.CREATED
                    ? "you created " + room.label() + " and own it: /invite user to let someone in"
                    : "you joined " + room.label());
            fetchMembers(room, false);
        });
    }

    void leave(ConversationId room, LocalLine line) {
        requests.call(new Operation.LeaveRoom(room.name()), (ok, failure) -> {
            if (failure != null) {
                post.accept(new UiEvent.ErrorLine(Optional.of(room), "cannot leave " + room.label() + ": "
                        + describe(failure)));
                return;
            }
            line.add(room, HistoryRecord.Kind.LEFT, "you left " + room.label());
            open.remove(room);
            members.remove(room);
            post.accept(new UiEvent.ConversationClosed(room));
        });
    }

    void who(ConversationId room) {
        fetchMembers(room, true);
    }

    void invite(ConversationId room, String user) {
        requests.call(new Operation.Invite(room.name(), user), (ok, failure) -> post.accept(failure == null
                ? new UiEvent.InfoLine(Optional.of(room), "invited " + user + " to " + room.label()
                  + ": they can /join " + room.label())
                : new UiEvent.ErrorLine(Optional.of(room), "cannot invite " + user + ": " + describe(failure))));
    }

    void kick(ConversationId room, String user) {
        requests.call(new Operation.Kick(room.name(), user), (ok, failure) -> {
            if (failure != null) {
                post.accept(new UiEvent.ErrorLine(Optional.of(room), "cannot remove " + user + ": " + describe(failure)));
                return;
            }
            post.accept(new UiEvent.InfoLine(Optional.of(room), "removed " + user + " from " + room.label()
                    + "; they receive nothing sent from now on"));
            fetchMembers(room, false);
        });
    }

    void list() {
        requests.call(new Operation.ListRooms(), (listing, failure) -> {
            if (failure != null) {
                post.accept(new UiEvent.ErrorLine(Optional.empty(), "cannot list rooms: " + describe(failure)));
                return;
            }
            var list = listing.items();
            if (list.isEmpty()) {
                post.accept(new UiEvent.InfoLine(Optional.empty(), "you are in no room yet: /join #name creates one"));
                return;
            }
            post.accept(new UiEvent.InfoLine(Optional.empty(), "your rooms (" + list.size() + "):"));
            for (RoomInfo r : list) {
                post.accept(new UiEvent.InfoLine(Optional.empty(), "  #" + r.room() + "  " + (r.status() == RoomStatus.MEMBER
                        ? "member, " + r.members() + (r.members() == 1 ? " member" : " members")
                        : "invited: /join #" + r.room())));
            }
        });
    }

    /** {@code /devices}: this account's devices with their states (approved, pending, revoked), as {@code devices} shows them. */
    void devices() {
        requests.devices((devices, failure) -> {
            if (failure != null) {
                post.accept(new UiEvent.ErrorLine(Optional.empty(), "cannot list devices: " + describe(failure)));
                return;
            }
            post.accept(new UiEvent.InfoLine(Optional.empty(), "your devices (" + devices.rows().size() + "):"));
            for (var row : devices.rows()) {
                if (row.listed().isEmpty()) {
                    post.accept(new UiEvent.InfoLine(Optional.empty(), "    " + row.id() + "  " + row.stateName()));
                    continue;
                }
                DeviceInfo d = row.listed().get();
                post.accept(new UiEvent.InfoLine(Optional.empty(), "  " + (d.current() ? "* " : "  ")
                        + row.id() + "  " + d.name() + "  " + row.stateName()
                        + "  created " + DAY.format(Instant.ofEpochMilli(d.createdMs()))
                        + ", last seen " + DAY.format(Instant.ofEpochMilli(d.lastSeenMs()))
                        + (d.current() ? "  (this one)" : "")));
            }
            if (devices.more()) {
                post.accept(new UiEvent.InfoLine(Optional.empty(), "  (more devices not shown)"));
            }
        });
    }

    private void fetchMembers(ConversationId room, boolean show) {
        requests.call(new Operation.ListMembers(room.name()), (listing, failure) -> {
            if (failure != null) {
                if (show) {
                    post.accept(new UiEvent.ErrorLine(Optional.of(room), "cannot list the members of " + room.label()
                            + ": " + describe(failure)));
                }
                return;
            }
            var list = listing.items();
            var names = new LinkedHashSet<String>();
            var invited = new ArrayList<String>();
            for (MemberInfo m : list) {
                if (m.role() == MemberRole.INVITED) {
                    invited.add(m.user());
                } else {
                    names.add(m.user());
                }
            }
            members.put(room, names);
            post.accept(new UiEvent.MembersChanged(room, List.copyOf(names), show));
            if (show && !invited.isEmpty()) {
                post.accept(new UiEvent.InfoLine(Optional.of(room), "invited, not joined yet: " + String.join(", ", invited)));
            }
            if (show) {
                list.stream().filter(m -> m.role() == MemberRole.OWNER).findFirst().ifPresent(owner ->
                        post.accept(new UiEvent.InfoLine(Optional.of(room), "owner: " + owner.user()
                                + (owner.user().equals(me) ? " (you)" : ""))));
            }
        });
    }

    static String describe(Failure f) {
        return f.message() + " (" + f.code() + ")";
    }
}
