package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.client.net.ClientSession;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.AccountPublicKey;
import crumbhub.crypto.account.RoomStatement;
import crumbhub.crypto.account.RoomStatement.Action;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomLogFrame;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Signed room membership on the client (docs/crypto.md "Room membership"): reads a room's log
 * from the server (ROOM_LOG, protocol §8), verifies each new statement (it must follow the last
 * one this device verified, be signed by its actor's account identity and keep the room's rules)
 * and keeps the result in {@link RoomLog}; signs this user's own changes (ROOM_STATEMENT). The
 * server's member list is only compared with the verified one: a difference is one warning.
 *
 * <p>Blocking, network; store transactions never span a network call.
 */
final class RoomMembership {
    /** Attempts of a change whose statement lost a race with another one (WRONG_STATE). */
    private static final int ATTEMPTS = 3;

    private final Self self;
    private final ClientSession session;
    private final KeyDirectory directory;

    RoomMembership(Self self, ClientSession session, KeyDirectory directory) {
        this.self = self;
        this.session = session;
        this.directory = directory;
    }

    /**
     * What a sync learned: the verified log after it and the changes it verified, in order;
     * {@code following} when this device had verified part of the log before.
     */
    record Synced(RoomLog log, List<RoomLog.Verified> events, boolean following) {}

    /**
     * Reads the statements of {@code room} this device has not verified yet, verifies and applies
     * them. For a room without a log (made before it existed) whose owner is this user, signs the
     * room as the server lists it first (the owner re-signs: docs/crypto.md "Rooms from before the log").
     *
     * @throws ClientException refused if the server does not let this user read the room
     */
    Synced sync(String room) {
        RoomLog stored = self.store().transaction(tx -> RoomLog.load(tx, room));
        var fetched = fetch(room, stored.length);
        if (fetched.length() < stored.length) {
            self.warnings().accept("WARNING: the server's membership log of #" + room + " holds " + fetched.length()
                    + " statements, fewer than the " + stored.length + " this device verified: it dropped or rewound"
                    + " signed changes; the verified membership is kept");
            return new Synced(stored, List.of(), stored.signed());
        }
        if (fetched.length() == 0 && signGenesisIfOwner(room)) {
            return sync(room);
        }
        if (fetched.statements().isEmpty()) {
            return new Synced(stored, List.of(), stored.signed()); // nothing new: nothing to write
        }
        var statements = new ArrayList<RoomStatement>();
        for (byte[] b : fetched.statements()) {
            try {
                statements.add(RoomStatement.decode(b));
            } catch (CryptoException e) {
                statements.add(null);
            }
        }
        Map<String, byte[]> served = accountsToPin(statements);
        return self.store().transaction(tx -> {
            RoomLog log = RoomLog.load(tx, room);
            var events = new ArrayList<RoomLog.Verified>();
            int n = log.length;
            for (RoomStatement st : statements) {
                if (st == null || !st.room().equals(room) || st.seq() != log.length
                        || !MessageDigest.isEqual(st.previous(), log.head)) {
                    self.warnings().accept("WARNING: statement " + n + " of the membership log of #" + room + " does not"
                            + " follow the ones this device verified (the server reordered, dropped, altered or forked"
                            + " the log); membership changes from it on are not accepted");
                    break;
                }
                n++;
                Optional<AccountPublicKey> key = Trust.accountKey(tx, self, st.actor(),
                        served.getOrDefault(st.actor(), new byte[0]));
                if (key.isEmpty() || !st.verifies(key.get())) {
                    self.warnings().accept("WARNING: statement " + st.seq() + " of #" + room + " (" + describe(st)
                            + ") is not signed by " + st.actor() + "'s account identity; ignored");
                } else if (log.apply(st).map(events::add).isEmpty()) {
                    self.warnings().accept("WARNING: statement " + st.seq() + " of #" + room + " (" + describe(st)
                            + ") breaks the room's rules (only the owner invites and removes, only the invited"
                            + " join); ignored");
                }
                log.advance(st);
            }
            if (log.signed() && !log.members.contains(self.user()) && !log.invited.contains(self.user())) {
                // left or removed: a later invitation to a room of this name is verified from its start
                tx.delete(RoomLog.record(room));
            } else {
                tx.put(RoomLog.record(room), log.encode());
            }
            return new Synced(log, events, stored.signed());
        });
    }

    private static String describe(RoomStatement st) {
        return st.actor() + " " + st.action().name().toLowerCase(java.util.Locale.ROOT)
                + (st.subject().isEmpty() ? "" : " " + st.subject());
    }

    /**
     * The new verified changes of {@code room} not shown yet, marked shown. A room this user
     * cannot read (left, removed) gives none, and so does the first read of a room on this device.
     */
    List<RoomLog.Verified> announce(String room) {
        Synced synced;
        try {
            synced = sync(room);
        } catch (ClientException e) {
            if (e.kind() != ClientException.Kind.REFUSED && e.kind() != ClientException.Kind.IDENTITY) {
                throw e;
            }
            return List.of();
        }
        if (synced.log().announced >= synced.log().length) {
            return List.of();
        }
        // the first log this device reads of a room is where it starts following it: the changes
        // before that are the room as it found it, not news (as a member who joins sees no history)
        return self.store().transaction(tx -> {
            RoomLog log = RoomLog.load(tx, room);
            var out = synced.following() ? synced.events().stream().filter(ev -> ev.seq() >= log.announced).toList()
                    : List.<RoomLog.Verified>of();
            if (log.announced < log.length) {
                log.announced = log.length;
                tx.put(RoomLog.record(room), log.encode());
            }
            return out;
        });
    }

    /**
     * The members whose membership this device verified, to send the room's chain to; for a room
     * without a log yet, the server's members (with one warning). Warns once when the server's
     * member list differs from the verified one.
     */
    List<String> members(String room) {
        List<String> listed = directory.roomMembers(room);
        RoomLog log = sync(room).log();
        if (!log.signed()) {
            self.warnings().accept("#" + room + " has no signed membership log yet (it was made before signed"
                    + " membership); its members are the server's word until its owner's client signs it");
            return listed;
        }
        var extra = new LinkedHashSet<>(listed);
        extra.removeAll(log.members);
        var missing = new LinkedHashSet<>(log.members);
        listed.forEach(missing::remove);
        if (!extra.isEmpty() || !missing.isEmpty()) {
            self.warnings().accept("WARNING: the server's member list of #" + room + " differs from the signed one:"
                    + (extra.isEmpty() ? "" : " it lists " + String.join(", ", extra) + " without an invitation and"
                    + " join signed in the room's log (not sent your room key)")
                    + (missing.isEmpty() ? "" : (extra.isEmpty() ? "" : ";") + " it leaves out "
                    + String.join(", ", missing)));
        }
        return List.copyOf(log.members);
    }

    // ---- this user's own changes ----

    /**
     * Makes this user's membership change {@code action} (to {@code subject}) in {@code room}: signs
     * it as the next statement of the room's log and sends it, reading the log again when another
     * change came first. A room without a log (and not owned by this user) gets the unsigned request
     * of before; so does a room this user cannot read yet, so that the server's refusal (no such
     * room, not invited) is the answer.
     */
    void change(Action action, String room, String subject) {
        AccountKeyPair key = accountKey();
        try (key) {
            if (action == Action.CREATE) {
                submit(key, room, new RoomLog(room), Action.CREATE, "", List.of(), List.of());
                return;
            }
            for (int attempt = 1; ; attempt++) {
                RoomLog log;
                try {
                    log = sync(room).log();
                } catch (ClientException e) {
                    if (e.kind() != ClientException.Kind.REFUSED) {
                        throw e;
                    }
                    unsigned(action, room, subject);
                    return;
                }
                if (!log.signed()) {
                    unsigned(action, room, subject);
                    return;
                }
                if (action == Action.JOIN && log.members.contains(self.user())
                        || action == Action.INVITE && log.invited.contains(subject)) {
                    return; // already so: as before, nothing to do
                }
                try {
                    submit(key, room, log, action, subject, List.of(), List.of());
                    return;
                } catch (ClientException e) {
                    if (attempt >= ATTEMPTS || !e.serverCode().equals(Optional.of(ErrorCode.WRONG_STATE.code()))) {
                        throw e;
                    }
                }
            }
        }
    }

    private AccountKeyPair accountKey() {
        return self.store().transaction(tx -> AccountState.load(tx).flatMap(AccountState::keyPair)).orElseThrow(() ->
                ClientException.identity("this device is not approved by your account yet, so it cannot sign room"
                        + " membership changes: approve it from an approved device (crumbhub-client devices approve "
                        + Integer.toUnsignedString(self.deviceId()) + " --code CODE)"));
    }

    /** Signs and sends the statement after {@code log}'s last; once the server took it, it is verified here too. */
    private void submit(AccountKeyPair key, String room, RoomLog log, Action action, String subject,
                        List<String> members, List<String> invited) {
        RoomStatement st = RoomStatement.sign(key, room, log.length, log.head, self.user(), action, subject, members,
                invited, self.clock().millis(), self.rng());
        session.call(what(action, room, subject), id -> new RoomLogFrame.RoomStatement(id,
                new RoomLogFrame.Statement(st.encode())), ControlFrame.Ok.class);
        self.store().transaction(tx -> {
            RoomLog current = RoomLog.load(tx, room);
            if (st.action() == Action.LEAVE) {
                tx.delete(RoomLog.record(room));
            } else if (current.length == st.seq() && MessageDigest.isEqual(current.head, st.previous())) {
                current.apply(st);
                current.advance(st);
                current.announced = current.length;
                tx.put(RoomLog.record(room), current.encode());
            }
            return null;
        });
    }

    /**
     * The first statement of a room from before the log, when this user owns it: the room's
     * members and invitations as the server lists them, signed. True if it was sent.
     */
    private boolean signGenesisIfOwner(String room) {
        var reply = session.call("members of #" + room, id -> new RoomFrame.RoomMembers(id, room), RoomFrame.MemberList.class);
        Optional<AccountKeyPair> key = self.store().transaction(tx -> AccountState.load(tx).flatMap(AccountState::keyPair));
        if (reply.more() || key.isEmpty() || reply.members().isEmpty()
                || !reply.members().getFirst().user().equals(self.user())
                || reply.members().getFirst().role() != MemberRole.OWNER) {
            key.ifPresent(AccountKeyPair::close);
            return false;
        }
        var members = new ArrayList<String>();
        var invited = new ArrayList<String>();
        for (MemberInfo m : reply.members().subList(1, reply.members().size())) {
            (m.role() == MemberRole.INVITED ? invited : members).add(m.user());
        }
        try (AccountKeyPair k = key.get()) {
            submit(k, room, new RoomLog(room), Action.CREATE, "", members, invited);
            self.warnings().accept("signed the membership of #" + room + " (made before signed membership) as the"
                    + " server lists it: " + String.join(", ", members.isEmpty() ? List.of("no other members") : members));
            return true;
        } catch (ClientException e) {
            if (e.kind() != ClientException.Kind.REFUSED) {
                throw e;
            }
            return false; // another change came first; the room stays unsigned until the next try
        }
    }

    private void unsigned(Action action, String room, String subject) {
        IntFunction<Frame> request = switch (action) {
            case CREATE -> id -> new RoomFrame.RoomCreate(id, room);
            case INVITE -> id -> new RoomFrame.RoomInvite(id, room, subject);
            case JOIN -> id -> new RoomFrame.RoomJoin(id, room);
            case LEAVE -> id -> new RoomFrame.RoomLeave(id, room);
            case KICK -> id -> new RoomFrame.RoomKick(id, room, subject);
        };
        session.call(what(action, room, subject), request, ControlFrame.Ok.class);
    }

    private static String what(Action action, String room, String subject) {
        return "room " + action.name().toLowerCase(java.util.Locale.ROOT) + " #" + room
                + (subject.isEmpty() ? "" : " " + subject);
    }

    // ---- reading from the server ----

    private record Fetched(int length, List<byte[]> statements) {}

    /** Statements {@code from} on, as many requests as it takes. */
    private Fetched fetch(String room, int from) {
        var out = new ArrayList<byte[]>();
        int length;
        while (true) {
            int next = from + out.size();
            var reply = session.call("membership log of #" + room, id -> new RoomLogFrame.RoomLog(id, room, next),
                    RoomLogFrame.RoomLogReply.class);
            if (!reply.room().equals(room) || reply.from() != next) {
                throw ClientException.refused("the server answered for another part of the log of #" + room);
            }
            length = reply.length();
            reply.statements().forEach(s -> out.add(s.bytes()));
            if (!reply.more() || reply.statements().isEmpty() || from + out.size() >= length) {
                return new Fetched(length, out);
            }
        }
    }

    /** The account identities of actors this device has no pin for, from the server (pinned on first use). */
    private Map<String, byte[]> accountsToPin(List<RoomStatement> statements) {
        var actors = new LinkedHashSet<String>();
        statements.stream().filter(java.util.Objects::nonNull).map(RoomStatement::actor)
                .filter(a -> !a.equals(self.user())).forEach(actors::add);
        var unpinned = self.store().transaction(tx -> actors.stream()
                .filter(a -> Trust.load(tx, a).account().isEmpty()).toList());
        var out = new HashMap<String, byte[]>();
        for (String a : unpinned) {
            out.put(a, directory.account(a, List.of()).listing().account());
        }
        return out;
    }
}
