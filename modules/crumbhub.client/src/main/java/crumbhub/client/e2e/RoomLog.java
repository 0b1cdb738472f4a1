package crumbhub.client.e2e;

import crumbhub.crypto.account.RoomStatement;
import crumbhub.crypto.account.RoomStatement.Action;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What this device verified of one room's membership log (record {@code roomlog:NAME}, docs/crypto.md
 * "Room membership"): how many statements it checked, the SHA-256 of the last one (the next must
 * name it), how many of them were shown to the user, and the membership they add up to under the
 * room's rules: the owner, the members in join order (the owner among them) and the invitations.
 * Statements are applied in log order by {@link #apply}; a statement that breaks a rule is
 * skipped (the chain still moves past it). Not thread-safe; lives inside one store transaction.
 */
final class RoomLog {
    private static final int VERSION = 1;
    private static final int MAX_NAMES = RoomStatement.MAX_NAMES;

    final String room;
    int length;
    byte[] head = new byte[0];
    /** Statements already shown (as room events) up to this number; own statements count as shown. */
    int announced;
    String owner = "";
    final LinkedHashSet<String> members = new LinkedHashSet<>();
    final LinkedHashSet<String> invited = new LinkedHashSet<>();

    RoomLog(String room) {
        this.room = room;
    }

    static String record(String room) {
        return "roomlog:" + room;
    }

    /** Whether this device verified at least the log's first statement. */
    boolean signed() {
        return length > 0;
    }

    /**
     * Applies statement {@code st}, whose signature the caller verified, under the room's rules
     * (only the owner invites and kicks, only the invited join, members and invitees leave,
     * ownership passes in join order). Returns the event, or empty if it breaks a rule (then it
     * changes nothing). Does not move {@link #length}/{@link #head}: {@link #advance} does.
     */
    Optional<Verified> apply(RoomStatement st) {
        String actor = st.actor();
        String subject = st.subject();
        String ownerBefore = owner;
        boolean ok = switch (st.action()) {
            case CREATE -> {
                if (length != 0 || !subject.isEmpty() || st.members().contains(actor)) {
                    yield false;
                }
                owner = actor;
                members.add(actor);
                members.addAll(st.members());
                invited.addAll(st.invited());
                invited.removeAll(members);
                yield true;
            }
            case INVITE -> {
                if (!actor.equals(owner) || members.contains(subject) || invited.contains(subject)) {
                    yield false;
                }
                invited.add(subject);
                yield true;
            }
            case JOIN -> {
                if (!invited.remove(actor)) {
                    yield false;
                }
                members.add(actor);
                yield true;
            }
            case LEAVE -> {
                if (!members.contains(actor) && !invited.contains(actor)) {
                    yield false;
                }
                remove(actor);
                yield true;
            }
            case KICK -> {
                if (!actor.equals(owner) || subject.equals(actor)
                        || !(members.contains(subject) || invited.contains(subject))) {
                    yield false;
                }
                remove(subject);
                yield true;
            }
        };
        return ok ? Optional.of(Verified.of(st, ownerBefore.isEmpty() || ownerBefore.equals(owner) ? "" : owner))
                : Optional.empty();
    }

    private void remove(String user) {
        invited.remove(user);
        members.remove(user);
        if (members.isEmpty()) {
            owner = "";
            invited.clear();
        } else if (owner.equals(user)) {
            owner = members.getFirst();
        }
    }

    /** Moves past {@code st}, applied or not: the next statement must name its hash. */
    void advance(RoomStatement st) {
        length = st.seq() + 1;
        head = st.hash();
    }

    byte[] encode() {
        var w = BinaryWriter.growable(256).u8(VERSION).u32(length).bytes8(head).u32(announced).str8(owner);
        w.u16(members.size());
        members.forEach(w::str8);
        w.u16(invited.size());
        invited.forEach(w::str8);
        return w.toByteArray();
    }

    static RoomLog decode(String room, byte[] encoded) {
        try {
            var in = BinaryReader.of(encoded, "room log record", Malformed::of);
            in.version(VERSION);
            var log = new RoomLog(room);
            log.length = in.u31("length");
            log.head = in.bytes8(RoomStatement.HASH_LENGTH, "head");
            log.announced = in.u31("announced");
            log.owner = in.str8();
            log.members.addAll(names(in));
            log.invited.addAll(names(in));
            in.end();
            return log;
        } catch (Malformed e) {
            throw Malformed.damaged(record(room), e);
        }
    }

    private static List<String> names(BinaryReader<Malformed> in) throws Malformed {
        int n = in.count16(MAX_NAMES, 2, "names");
        var out = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.str8());
        }
        return out;
    }

    static RoomLog load(E2eStore.Tx tx, String room) {
        return tx.get(record(room)).map(b -> decode(room, b)).orElseGet(() -> new RoomLog(room));
    }

    /**
     * One verified membership change, as the room shows it ({@code docs/client.md} "Membership
     * events"): statement {@code seq} of {@code room}, by {@code by}, about {@code user} (the
     * actor itself for create, join and leave), at {@code timeMs} by the actor's clock;
     * {@code newOwner} is the member who owns the room since this change, if it passed ownership
     * on (else empty); {@code id} names the statement (hex of the first 16 bytes of its SHA-256).
     */
    record Verified(String room, int seq, String action, String by, String user, List<String> members,
                    String newOwner, long timeMs, String id) {
        public Verified {
            members = List.copyOf(members);
        }

        static Verified of(RoomStatement st, String ownerAfter) {
            String user = st.action() == Action.INVITE || st.action() == Action.KICK ? st.subject() : st.actor();
            String action = switch (st.action()) {
                case CREATE -> "create";
                case INVITE -> "invite";
                case JOIN -> "join";
                case LEAVE -> "leave";
                case KICK -> "kick";
            };
            return new Verified(st.room(), st.seq(), action, st.actor(), user, st.members(), ownerAfter, st.timeMs(),
                    java.util.HexFormat.of().formatHex(st.hash(), 0, 16));
        }

        /** One line for people: {@code alice invited bob}. */
        public String text() {
            return switch (action) {
                case "create" -> by + (members.isEmpty() ? " created #" + room
                        : " signed the members of #" + room + ": " + String.join(", ", members));
                case "invite" -> by + " invited " + user;
                case "join" -> user + " joined";
                case "leave" -> user + " left" + (newOwner.isEmpty() ? "" : "; " + newOwner + " owns the room now");
                case "kick" -> by + " removed " + user;
                default -> by + " " + action + " " + user;
            };
        }
    }
}
