package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.HandshakePattern;
import crumbhub.crypto.noise.HandshakeState;
import crumbhub.crypto.noise.NoiseException;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.Await;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.MalformedFrameException;
import crumbhub.wire.Protocol;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the decoders and of a live server (docs/security.md): random and mutated
 * frames and handshake messages. Nothing but the documented exceptions escapes a decoder; the
 * live server answers or closes the one connection, logs no failure, keeps every thread alive,
 * still serves an honest client afterwards, and its heap stays flat. The normal build runs
 * tens of thousands of inputs; {@code -Psoak} over a million. Seeds are printed; set
 * {@code -Dcrumbhub.seed=N} to replay.
 */
class FuzzTest {
    private static final boolean SOAK = Boolean.getBoolean("crumbhub.soak");
    private static final long SEED = Long.getLong("crumbhub.seed", 20_261_126L);
    private static final int DECODER_FRAMES = SOAK ? 1_000_000 : 20_000;
    private static final int DECODER_HANDSHAKES = SOAK ? 20_000 : 400;
    private static final int LIVE_FRAMES = SOAK ? 1_000_000 : 20_000;
    private static final int LIVE_HANDSHAKES = SOAK ? 20_000 : 400;

    @TempDir
    Path data;

    // ---- decoders ----

    @Test
    void theFrameDecoderOnlyEverYieldsFramesOrMalformed() {
        var r = new SplittableRandom(SEED);
        for (int i = 0; i < DECODER_FRAMES; i++) {
            byte[] input = switch (i % 3) {
                case 0 -> FuzzFrames.garbage(r);
                case 1 -> FuzzFrames.mutate(r, FuzzFrames.encode(FuzzFrames.frame(r, r.nextInt())));
                default -> FuzzFrames.encode(FuzzFrames.frame(r, r.nextInt()));
            };
            ByteBuffer in = ByteBuffer.wrap(input);
            try {
                while (in.hasRemaining()) {
                    if (FrameCodec.decode(in) == null) {
                        break;
                    }
                }
            } catch (MalformedFrameException expected) {
                assertThat(expected.code()).isEqualTo(ErrorCode.MALFORMED);
            } catch (RuntimeException | Error e) {
                fail("the decoder threw " + e + " (seed " + SEED + ", input " + i + ")", e);
            }
        }
        System.out.printf("FuzzTest decoder: %d frames, seed %d%n", DECODER_FRAMES, SEED);
    }

    @Test
    void theHandshakeRefusesRandomAndMutatedMessagesWithNoiseErrorsOnly() throws Exception {
        var r = new SplittableRandom(SEED + 1);
        var rng = new SecureRandom();
        var server = X25519KeyPair.generate(rng);
        var client = X25519KeyPair.generate(rng);
        int refused = 0;
        for (int i = 0; i < DECODER_HANDSHAKES; i++) {
            var responder = HandshakeState.responder(HandshakePattern.XX, Protocol.prologueBytes(), server, null,
                    List.of(), rng);
            try {
                if (i % 2 == 0) {
                    // message 1: random length and bytes
                    responder.readMessage(FuzzFrames.bytes(r, r.nextInt(4) == 0 ? 200 : 40));
                } else {
                    // message 3 of a real exchange, mutated
                    var initiator = HandshakeState.initiator(HandshakePattern.XX, Protocol.prologueBytes(), client,
                            null, List.of(), rng);
                    responder.readMessage(initiator.writeMessage(new byte[0]));
                    initiator.readMessage(responder.writeMessage(new byte[] {1}));
                    byte[] msg3 = initiator.writeMessage(new byte[] {1});
                    responder.readMessage(FuzzFrames.mutate(r, msg3));
                }
            } catch (NoiseException expected) {
                refused++;
            } catch (RuntimeException | Error e) {
                fail("the handshake threw " + e + " (seed " + (SEED + 1) + ", input " + i + ")", e);
            }
        }
        assertThat(refused).isGreaterThan(DECODER_HANDSHAKES / 3);
        System.out.printf("FuzzTest handshake decoder: %d messages (%d refused), seed %d%n", DECODER_HANDSHAKES,
                refused, SEED + 1);
    }

    // ---- a live server ----

    /** Failures the server logged: anything severe, or any log record carrying an exception. */
    private static final class Failures extends Handler {
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() || record.getThrown() != null) {
                seen.add(record.getLevel() + " " + record.getMessage() + " " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static final int DRAIN = Integer.MAX_VALUE;

    /** One fuzzing connection: the device resumed, a reader draining and checking replies. */
    private static final class Session implements AutoCloseable {
        final RawPeer peer;
        final Thread reader;
        final AtomicLong internal;
        volatile java.util.concurrent.CompletableFuture<Void> drained = new java.util.concurrent.CompletableFuture<>();
        /** Replies (not pushes) received on this connection. */
        final AtomicLong answered = new AtomicLong();

        /**
         * Resumes the fuzzing device, or logs in again if fuzzed input ended it (a mutated frame can
         * turn into LOGOUT or DEVICE_REVOKE), keeping the new credentials in {@code auth}.
         */
        Session(Server server, X25519KeyPair key, java.util.concurrent.atomic.AtomicReference<AuthFrame.AuthOk> auth,
                AtomicLong replies, AtomicLong internal) throws Exception {
            this.internal = internal;
            peer = new RawPeer(server.address(), "127.0.0.1").handshake(key);
            AuthFrame.AuthOk a = auth.get();
            peer.send(new AuthFrame.Resume(1, a.user(), a.deviceId(), a.token()));
            Frame f = peer.reply(1);
            if (f instanceof ControlFrame.Error e && e.errorCode().orElse(null) == ErrorCode.BAD_CREDENTIALS) {
                peer.send(new AuthFrame.Login(2, a.user(), TestClient.bytes("password"), "fuzz"));
                f = peer.reply(2);
            }
            if (!(f instanceof AuthFrame.AuthOk ok)) {
                throw new AssertionError("resume and login refused: " + f);
            }
            auth.set(ok);
            reader = Thread.ofPlatform().name("fuzz-reader").start(() -> {
                try {
                    while (true) {
                        Frame reply = peer.next();
                        replies.incrementAndGet();
                        if (reply instanceof ControlFrame.Error e && e.errorCode().orElse(null) == ErrorCode.INTERNAL) {
                            internal.incrementAndGet();
                        }
                        if (reply.requestId() == DRAIN) {
                            drained.complete(null);
                        } else if (reply.requestId() != 0) {
                            answered.incrementAndGet();
                        }
                    }
                } catch (Exception closed) {
                    // the server closed this connection (malformed input) or the test did
                    drained.completeExceptionally(new AssertionError("the connection closed", closed));
                }
            });
        }

        /**
         * Waits until the core has handled everything sent so far: it takes requests in order, so
         * the reply to a last ROOM_LIST comes after every immediate reply (a PING would not do, it
         * is answered on the network thread, ahead of the core).
         */
        void drain() throws Exception {
            drained = new java.util.concurrent.CompletableFuture<>();
            peer.send(new RoomFrame.RoomList(DRAIN));
            drained.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        /** After hostile input: true if the server closed the connection, false if it is still answering. */
        boolean closedAfterHostileInput() throws Exception {
            var answered = new java.util.concurrent.CompletableFuture<Void>();
            drained = answered;
            try {
                peer.send(new RoomFrame.RoomList(DRAIN));
            } catch (java.io.IOException closed) {
                reader.join(5_000);
                return true;
            }
            Await.until(() -> !reader.isAlive() || answered.isDone(), Duration.ofSeconds(10),
                    "the server answering or closing after hostile input");
            if (answered.isDone() && !answered.isCompletedExceptionally()) {
                return !reader.isAlive();
            }
            reader.join(5_000);
            return true;
        }

        @Override
        public void close() throws Exception {
            peer.close();
            reader.join(5_000);
        }
    }

    @Test
    void aLiveServerSurvivesRandomAndMutatedFramesAndHandshakes() throws Exception {
        var failures = new Failures();
        Logger root = Logger.getLogger("");
        root.addHandler(failures);
        // the store's speed is not under test here: a RAM disk keeps a million frames quick
        Path shm = Path.of("/dev/shm");
        Path dir = java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)
                ? java.nio.file.Files.createTempDirectory(shm, "crumbhub-fuzz-") : data;
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(dir).listen(new HostPort("127.0.0.1", 0)).loopThreads(2)
                .hashThreads(1).passwordIterations(1000).limits(LimitOptions.unlimited()).snapshotLogBytes(2L << 20)
                .quotas(crumbhub.server.domain.Quotas.unlimited()).build();
        var r = new SplittableRandom(SEED + 2);
        long started = System.nanoTime();
        try (var loops = new EventLoopGroup("fuzz-client", 1); var server = Server.start(options)) {
            Set<String> threadsBefore = serverThreads();
            var key = TestClient.newKey();
            var auth = new java.util.concurrent.atomic.AtomicReference<AuthFrame.AuthOk>();
            try (var c = new TestClient(server.address(), loops.next(), key)) {
                auth.set(c.register("fuzz", "password").auth);
            }
            try (var c = new TestClient(server.address(), loops.next(), TestClient.newKey())) {
                c.register("peer", "password");
            }
            var replies = new AtomicLong();
            var internal = new AtomicLong();
            long frames = 0;
            long mutated = 0;
            long reconnects = 0;
            long heapBefore = -1;
            Session session = new Session(server, key, auth, replies, internal);
            int nextId = 2;
            while (frames < LIVE_FRAMES) {
                if (heapBefore < 0 && frames >= LIVE_FRAMES / 10) {
                    heapBefore = heapAfterGc(); // after warm-up: code compiled, rooms and windows filled
                }
                int roll = r.nextInt(100);
                List<byte[]> parts = new ArrayList<>();
                int n = 1 + r.nextInt(32);
                for (int i = 0; i < n; i++) {
                    parts.add(FuzzFrames.encode(FuzzFrames.frame(r, nextId++)));
                }
                boolean hostile = roll < 3;
                if (hostile) {
                    int at = r.nextInt(parts.size());
                    parts.set(at, roll == 0 ? FuzzFrames.garbage(r) : FuzzFrames.mutate(r, parts.get(at)));
                    mutated++;
                }
                byte[] plain = FuzzFrames.concat(parts);
                try {
                    if (plain.length <= Protocol.MAX_PLAINTEXT && !(hostile && r.nextInt(10) == 0)) {
                        session.peer.sendPlaintext(plain);
                    } else {
                        session.peer.writeMessage(FuzzFrames.bytes(r, 200)); // not even ciphertext
                    }
                } catch (java.io.IOException closed) {
                    hostile = true;
                }
                frames += n;
                if (hostile && session.closedAfterHostileInput()) {
                    session.close();
                    session = new Session(server, key, auth, replies, internal);
                    reconnects++;
                }
            }
            session.close();

            // a last connection of well-formed frames only: every request gets exactly one reply
            long clean = Math.min(2_000, LIVE_FRAMES / 10);
            long expected = 0;
            session = new Session(server, key, auth, replies, internal);
            for (long i = 0; i < clean; i++) {
                Frame f = FuzzFrames.frame(r, nextId++);
                expected += f instanceof ControlFrame.Pong ? 0 : 1;
                session.peer.send(f);
            }
            frames += clean;
            session.drain();
            // replies that wait for the disk may come after the ROOM_LIST's: await them, then one
            // more round trip through the core, behind which any surplus reply would have come
            var cleanSession = session;
            long cleanExpected = expected;
            Await.until(() -> cleanSession.answered.get() >= cleanExpected, "replies to " + clean + " well-formed frames");
            session.drain();
            assertThat(session.answered.get()).as("replies to %d well-formed frames", clean).isEqualTo(expected);
            session.close();

            long handshakes = fuzzHandshakes(server, r);
            long heapAfter = heapAfterGc();

            // the server is whole: its threads live, an honest client is served, nothing was logged as failed
            assertThat(serverThreads()).containsAll(threadsBefore);
            try (var alice = new TestClient(server.address(), loops.next(), TestClient.newKey());
                 var back = new TestClient(server.address(), loops.next(), key)) {
                alice.register("alice", "password");
                back.resume(auth.get());
                back.sync();
                alice.send(TargetKind.DIRECT, "fuzz", "still answering");
                assertThat(TestClient.text(back.nextPush())).isEqualTo("still answering");
            }
            assertThat(internal.get()).as("ERROR internal replies").isZero();
            assertThat(failures.seen).as("failures the server logged").isEmpty();
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            System.out.printf("FuzzTest live server: %d frames (%d batches with a mutated or garbage frame, "
                            + "%d reconnects, %d replies) and %d handshake messages in %d s, seed %d; "
                            + "heap after GC %d KiB before, %d KiB after%n", frames, mutated, reconnects,
                    replies.get(), handshakes, seconds, SEED + 2, heapBefore / 1024, heapAfter / 1024);
            assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(4L << 20);
        } finally {
            root.removeHandler(failures);
            if (!dir.equals(data)) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /** Fresh connections with broken handshakes: garbage, lying lengths, trickles, mutated message 3. */
    private long fuzzHandshakes(Server server, SplittableRandom r) throws Exception {
        var rng = new SecureRandom();
        long sent = 0;
        for (int i = 0; i < LIVE_HANDSHAKES; i++) {
            try (var p = new RawPeer(server.address(), "127.0.0.1")) {
                switch (i % 4) {
                    case 0 -> p.writeRaw(notMessageOne(FuzzFrames.bytes(r, 120)));
                    case 1 -> {
                        byte[] m = FuzzFrames.bytes(r, 90);
                        // 32 random bytes would be a valid message 1 (any ephemeral key is)
                        p.writeMessage(m.length == 32 ? java.util.Arrays.copyOf(m, 33) : m);
                    }
                    case 2 -> {
                        byte[] msg1 = new byte[34];
                        msg1[1] = 32;
                        for (byte b : msg1) {
                            p.writeRaw(new byte[] {b});
                        }
                        p.readMessage();
                        p.writeMessage(FuzzFrames.bytes(r, 100));
                    }
                    default -> {
                        var hs = HandshakeState.initiator(HandshakePattern.XX, Protocol.prologueBytes(),
                                X25519KeyPair.generate(rng), null, List.of(), rng);
                        p.writeMessage(hs.writeMessage(new byte[0]));
                        hs.readMessage(p.readMessage());
                        p.writeMessage(FuzzFrames.mutate(r, hs.writeMessage(new byte[] {1})));
                    }
                }
                sent++;
                assertThat(p.closedWithin(5_000)).as("handshake input %d closes the connection", i).isTrue();
            } catch (java.io.IOException resetByServer) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Random bytes, at least a whole length prefix (the server waits for the rest of a prefix),
     * whose first two do not announce the 32 bytes of a valid message 1.
     */
    private static byte[] notMessageOne(byte[] random) {
        byte[] b = random.length >= 2 ? random : java.util.Arrays.copyOf(random, 2);
        if (b[0] == 0 && b[1] == 32) {
            b[1] = 33;
        }
        return b;
    }

    private static Set<String> serverThreads() {
        var names = new TreeSet<String>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && (t.getName().startsWith("crumbhub-loop") || t.getName().equals("crumbhub-core")
                    || t.getName().startsWith("crumbhub-store") || t.getName().startsWith("crumbhub-hash"))) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc(); // a full collection, done when it returns (G1 without ExplicitGCInvokesConcurrent)
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

}
