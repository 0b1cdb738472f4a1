package crumbhub.bench;

import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.net.ConnectionOptions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Bench clients on a CrumbHub server. Each client is its own user with one device (so a room
 * message is delivered exactly once to every other member's connection). Users are registered
 * once and kept in a {@link SessionStore}; later runs RESUME, which costs the server no password
 * hash. New users are registered a few at a time, since each costs a PBKDF2 hash on the server
 * and a queue of them would outlast the server's 30-second authentication timeout.
 */
final class CrumbFleet implements Fleet {
    /** REGISTER/LOGIN in flight: each keeps a server core busy for ~0.3 s. */
    static final int HASH_PARALLEL = 4;
    /** Room operations and SYNCs in flight. */
    static final int ROOM_PARALLEL = 256;
    private static final int PASSWORD_BYTES = 16;

    private final LoadContext ctx;
    private final BenchOptions options;
    private final SecureRandom random;
    private final String[] roomNames;
    private final ConnectionOptions connectionOptions;
    private byte[] serverKey;
    private SessionStore store;

    CrumbFleet(LoadContext ctx, SecureRandom random) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.random = random;
        this.roomNames = new String[options.effectiveRooms()];
        for (int r = 0; r < roomNames.length; r++) {
            roomNames[r] = options.roomPrefix() + r;
        }
        // the bench holds idle connections on purpose and never needs the keep-alive timeout
        this.connectionOptions = ConnectionOptions.client().withIdleTimeout(Duration.ZERO).withRandom(random);
    }

    @Override
    public String roomName(int r) {
        return "#" + roomNames[r];
    }

    String user(int i) {
        return options.userPrefix() + i;
    }

    @Override
    public List<LoadClient> connect(int first, int count) throws BenchException {
        long deadline = System.nanoTime() + options.setupTimeout().toNanos();
        if (serverKey == null) {
            learnServerKey(deadline);
        }
        int users = options.distinctUsers();
        var fresh = new ArrayList<Integer>();
        var resumable = new ArrayList<Integer>();
        var more = new ArrayList<Integer>();
        for (int i = first; i < first + count; i++) {
            if (i >= users) {
                more.add(i);
            } else {
                SessionStore.Entry e = store.get(user(i));
                (e != null && e.canResume() ? resumable : fresh).add(i);
            }
        }
        var clients = new CrumbClient[count];
        if (!resumable.isEmpty()) {
            var progress = progress("resumed", resumable.size());
            List<CrumbClient> resumed = Parallel.run(resumable.size(), options.connectParallel(), deadline,
                    "resuming " + resumable.size() + " bench users",
                    k -> authenticate(resumable.get(k), resumable.get(k), Auth.RESUME), progress);
            for (CrumbClient c : resumed) {
                clients[c.index() - first] = c;
            }
        }
        if (!fresh.isEmpty()) {
            ctx.note("registering " + fresh.size() + " bench users; each costs the server one password hash"
                    + " (~0.3 s of a core), once: later runs resume them from " + options.statePath());
            var progress = progress("registered", fresh.size());
            List<CrumbClient> made = Parallel.run(fresh.size(), Math.min(HASH_PARALLEL, options.connectParallel()),
                    deadline, "registering " + fresh.size() + " bench users",
                    k -> authenticate(fresh.get(k), fresh.get(k), Auth.FIRST), progress);
            for (CrumbClient c : made) {
                clients[c.index() - first] = c;
            }
        }
        if (!more.isEmpty()) {
            // further sessions of the same devices (connection i is a session of user i mod users):
            // RESUME only, no password hash; the first sessions above come before them
            var progress = progress("opened", more.size());
            List<CrumbClient> opened = Parallel.run(more.size(), options.connectParallel(), deadline,
                    "opening " + more.size() + " more sessions",
                    k -> authenticate(more.get(k), more.get(k) % users, Auth.RESUME), progress);
            for (CrumbClient c : opened) {
                clients[c.index() - first] = c;
            }
        }
        return List.of(clients);
    }

    private Runnable progress(String verb, int total) {
        var done = new AtomicInteger();
        int every = Math.max(1, total / 10);
        long start = System.nanoTime();
        return () -> {
            int n = done.incrementAndGet();
            if (total >= 50 && (n % every == 0 || n == total)) {
                ctx.note(verb + " " + n + "/" + total + " users in "
                        + Math.round((System.nanoTime() - start) / 1e8) / 10.0 + " s");
            }
        };
    }

    /** Connects once with a throwaway key to learn (and check) the server key, then opens the state. */
    private void learnServerKey(long deadline) throws BenchException {
        var seen = new CompletableFuture<byte[]>();
        try (var probeKey = X25519KeyPair.generate(random)) {
            var f = CrumbClient.connect(-1, "probe", options.server(), null, ctx.loopFor(0), ctx.statsOf(ctx.loopFor(0)),
                    roomNames, probeKey, key -> seen.complete(key.clone()) || true, connectionOptions, 0);
            CrumbClient probe = LoadContext.await(f, deadline, "cannot reach a CrumbHub server at " + BenchArgs.format(options.server()));
            probe.close();
        }
        byte[] key = LoadContext.await(seen, deadline, "the server did not show its key");
        if (!options.fingerprint().isEmpty() && !Fingerprint.matches(key, options.fingerprint())) {
            throw new BenchException("the server's key has fingerprint " + Fingerprint.of(key)
                    + ", not the one given with --fingerprint");
        }
        serverKey = key;
        store = SessionStore.open(options.statePath(), key);
    }

    private enum Auth { RESUME, FIRST }

    /** Connects client {@code i} as bench user {@code u} and authenticates it. */
    private CompletableFuture<CrumbClient> authenticate(int i, int u, Auth how) {
        String name = user(u);
        SessionStore.Entry saved = store.get(name);
        SessionStore.Entry entry;
        if (saved != null) {
            entry = saved;
        } else {
            byte[] raw = new byte[PASSWORD_BYTES];
            random.nextBytes(raw);
            // servers take passwords as UTF-8 text only: the random bytes travel as hex
            byte[] pw = java.util.HexFormat.of().formatHex(raw).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.util.Arrays.fill(raw, (byte) 0);
            try (var key = X25519KeyPair.generate(random)) {
                entry = new SessionStore.Entry(name, pw, 0, key.privateKey(), null);
            }
            try {
                store.put(entry); // before registering: a crash after it leaves a password to log in with
            } catch (BenchException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        X25519KeyPair key = X25519KeyPair.fromPrivate(entry.devicePrivate());
        var loop = ctx.loopFor(i);
        CompletableFuture<CrumbClient> connected;
        try {
            connected = CrumbClient.connect(i, name, options.server(), options.sourceAddress(i), loop,
                    ctx.statsOf(loop), roomNames, key, pinned(), connectionOptions, random.nextLong());
        } finally {
            key.close();
        }
        boolean known = saved != null;
        connected = connected.handle((c, t) -> {
            if (t == null) {
                return c;
            }
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof crumbhub.wire.ConnectionClosedException closed) {
                throw new CompletionException(new BenchException(name + ": " + closed.getMessage()
                        + ServerLimits.connectionHint(options.clients()), closed));
            }
            throw t instanceof CompletionException ce ? ce : new CompletionException(t);
        });
        return connected.thenCompose(c -> {
            CompletableFuture<Frame> reply = switch (how) {
                case RESUME -> c.request(id -> new AuthFrame.Resume(id, name, entry.deviceId(), DeviceToken.of(entry.token())));
                case FIRST -> known
                        ? c.request(id -> new AuthFrame.Login(id, name, entry.password(), "crumbhub-bench"))
                        : register(c, entry);
            };
            return reply.thenCompose(r -> {
                if (how == Auth.FIRST && known && isError(r, ErrorCode.BAD_CREDENTIALS)) {
                    return register(c, entry); // the user was never registered after all
                }
                return CompletableFuture.completedFuture(r);
            }).thenApply(r -> authenticated(c, entry, how, r));
        });
    }

    private CompletableFuture<Frame> register(CrumbClient c, SessionStore.Entry e) {
        return c.request(id -> new AuthFrame.Register(id, e.user(), e.password(), options.invite(), "crumbhub-bench"));
    }

    private CrumbClient authenticated(CrumbClient c, SessionStore.Entry e, Auth how, Frame reply) {
        if (reply instanceof AuthFrame.AuthOk ok) {
            var updated = new SessionStore.Entry(e.user(), e.password(), ok.deviceId(), e.devicePrivate(),
                    ok.token().toByteArray());
            try {
                if (!updated.equals(e)) {
                    store.put(updated);
                }
            } catch (BenchException ex) {
                c.close();
                throw new CompletionException(ex);
            }
            return c;
        }
        c.close();
        String why = reply instanceof ControlFrame.Error err ? err.code() + ": " + err.message() : "unexpected " + reply.typeName();
        String hint = switch (reply instanceof ControlFrame.Error err ? err.code() : "") {
            case "exists" -> "; the user exists with a password " + options.statePath()
                    + " does not know: pass another --user-prefix or the right --state";
            case "bad_credentials" -> how == Auth.RESUME
                    ? "; the saved device is gone: delete " + options.statePath() + " and use another --user-prefix"
                    : "";
            default -> reply instanceof ControlFrame.Error err ? ServerLimits.hint(err.code(), err.message()) : "";
        };
        throw new CompletionException(new BenchException(e.user() + " was refused (" + why + ")" + hint));
    }

    private Predicate<byte[]> pinned() {
        byte[] expected = serverKey;
        return key -> MessageDigest.isEqual(expected, key);
    }

    private static boolean isError(Frame f, ErrorCode code) {
        return f instanceof ControlFrame.Error e && e.code().equals(code.code());
    }

    /**
     * Connects client {@code index} again (a new connection of the same device, RESUME) and asks
     * for what it missed (SYNC): its room messages since its last acknowledgement arrive from its
     * mailbox; those up to {@code seenUpTo} (received by the closed connection) count as repeats.
     * For scenarios that drop connections on purpose (soak). Blocks, bounded by
     * {@code --setup-timeout}.
     */
    LoadClient reconnect(int index, long seenUpTo) throws BenchException {
        var c = (CrumbClient) connect(index, 1).getFirst();
        c.loop().execute(() -> c.seenUpTo(seenUpTo));
        long deadline = System.nanoTime() + options.setupTimeout().toNanos();
        Frame f = LoadContext.await(c.request(MessageFrame.Sync::new), deadline, c.user() + " did not sync");
        if (!(f instanceof MessageFrame.SyncDone)) {
            c.close();
            throw new BenchException(c.user() + " cannot sync: " + f);
        }
        return c;
    }

    // ---- rooms ---------------------------------------------------------------------------------------

    @Override
    public void formRooms(List<LoadClient> clients, int[] roomOf, int rooms) throws BenchException {
        long deadline = System.nanoTime() + options.setupTimeout().toNanos();
        var members = new ArrayList<List<CrumbClient>>();
        for (int r = 0; r < rooms; r++) {
            members.add(new ArrayList<>());
        }
        for (LoadClient c : clients) {
            members.get(roomOf[c.index()]).add((CrumbClient) c);
        }
        List<Set<String>> present = Parallel.run(rooms, 16, deadline, "preparing " + rooms + " rooms",
                r -> prepareRoom(r, members.get(r)), () -> { });
        Parallel.run(clients.size(), ROOM_PARALLEL, deadline, "joining rooms", i -> {
            var c = (CrumbClient) clients.get(i);
            int r = roomOf[i];
            if (present.get(r).contains(c.user())) {
                return CompletableFuture.completedFuture(null);
            }
            return c.request(id -> new RoomFrame.RoomJoin(id, roomNames[r])).thenApply(f -> expectOk(f, c.user()
                    + " cannot join " + roomName(r)));
        }, () -> { });
        Parallel.run(clients.size(), ROOM_PARALLEL, deadline, "syncing", i -> {
            var c = (CrumbClient) clients.get(i);
            return c.request(MessageFrame.Sync::new).thenApply(f -> {
                if (!(f instanceof MessageFrame.SyncDone)) {
                    throw new CompletionException(new BenchException(c.user() + " cannot sync: " + f));
                }
                c.loop().execute(c::flush); // acknowledge anything earlier runs left behind
                return null;
            });
        }, () -> { });
    }

    /**
     * The room's first client creates it (or finds it its own from an earlier run), removes
     * members that are not in this run, and invites the rest. Completes with the users already in.
     */
    private CompletableFuture<Set<String>> prepareRoom(int r, List<CrumbClient> wanted) {
        CrumbClient owner = wanted.getFirst();
        String room = roomNames[r];
        var names = new HashSet<String>();
        for (CrumbClient c : wanted) {
            names.add(c.user());
        }
        return owner.request(id -> new RoomFrame.RoomCreate(id, room))
                .thenCompose(created -> {
                    if (!(created instanceof ControlFrame.Ok) && !isError(created, ErrorCode.EXISTS)) {
                        throw new CompletionException(new BenchException("cannot create " + roomName(r) + ": " + created));
                    }
                    return owner.request(id -> new RoomFrame.RoomMembers(id, room));
                })
                .thenCompose(list -> {
                    if (!(list instanceof RoomFrame.MemberList ml) || ml.members().stream().noneMatch(
                            m -> m.role() == MemberRole.OWNER && m.user().equals(owner.user()))) {
                        throw new CompletionException(new BenchException(roomName(r) + " exists and belongs to"
                                + " someone else; pass another --room-prefix"));
                    }
                    var in = new HashSet<String>();
                    var pending = new ArrayList<CompletableFuture<Frame>>();
                    for (MemberInfo m : ml.members()) {
                        boolean joined = m.role() != MemberRole.INVITED;
                        if (names.contains(m.user())) {
                            if (joined) {
                                in.add(m.user());
                            }
                        } else if (joined && !m.user().equals(owner.user())) {
                            // a member from an earlier, larger run would get (and never acknowledge) every message
                            pending.add(owner.request(id -> new RoomFrame.RoomKick(id, room, m.user())));
                        }
                    }
                    for (String u : names) {
                        if (!in.contains(u)) {
                            pending.add(owner.request(id -> new RoomFrame.RoomInvite(id, room, u)));
                        }
                    }
                    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> {
                        for (var f : pending) {
                            Frame reply = f.join();
                            if (!(reply instanceof ControlFrame.Ok) && !isError(reply, ErrorCode.EXISTS)) {
                                throw new CompletionException(new BenchException(
                                        "cannot set up the members of " + roomName(r) + ": " + reply));
                            }
                        }
                        return (Set<String>) in;
                    });
                });
    }

    private static Void expectOk(Frame f, String what) {
        if (!(f instanceof ControlFrame.Ok)) {
            throw new CompletionException(new BenchException(what + ": " + f));
        }
        return null;
    }
}
