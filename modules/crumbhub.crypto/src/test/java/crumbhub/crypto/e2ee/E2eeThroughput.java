package crumbhub.crypto.e2ee;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.group.SenderKeyDistribution;
import crumbhub.crypto.group.SenderKeyState;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.Pqxdh;
import crumbhub.crypto.pqxdh.PreKeyBundle;
import crumbhub.crypto.pqxdh.PreKeyLookup;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.crypto.ratchet.RatchetSession;
import java.util.Locale;
import java.util.Optional;

/**
 * Single-threaded throughput of the end-to-end primitives; a program, not a unit test (surefire does
 * not pick it up). Run after {@code mvn -pl modules/crumbhub.crypto test-compile}, pinned to one
 * core, from the module directory:
 *
 * <pre>
 * taskset -c 0 java -cp target/classes:target/test-classes crumbhub.crypto.e2ee.E2eeThroughput [seconds] [seed]
 * </pre>
 *
 * Each figure runs for a warm-up of {@code seconds} and then a timed {@code seconds} (default 3),
 * with 100-byte plaintexts, and prints operations per second. The seed is printed so a run can be
 * repeated exactly.
 */
public final class E2eeThroughput {
    private static final int PLAINTEXT = 100;

    private E2eeThroughput() {}

    @FunctionalInterface
    private interface Op {
        void run() throws CryptoException;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20_240_601L;
        System.out.printf(Locale.ROOT, "e2ee throughput: seed=%d, %.1f s per figure, %d-byte plaintexts, %d available processors%n",
                seed, seconds, PLAINTEXT, Runtime.getRuntime().availableProcessors());
        var rng = new FixedRandom(seed);
        var plaintext = new byte[PLAINTEXT];
        rng.nextBytes(plaintext);

        try (var alice = IdentityKeys.generate(rng); var bob = IdentityKeys.generate(rng);
             var spk = SignedPreKeyPair.generate(bob, 1, rng); var kpk = KemPreKeyPair.generate(bob, 2, rng);
             var opk = OneTimePreKeyPair.generate(3, rng)) {
            var bundle = new PreKeyBundle(bob.publicKey(), spk.publicPart(), kpk.publicPart(), Optional.of(opk.publicPart()));
            PreKeyLookup lookup = new PreKeyLookup() {
                @Override
                public Optional<SignedPreKeyPair> signedPreKey(int id) {
                    return Optional.of(spk);
                }

                @Override
                public Optional<KemPreKeyPair> kemPreKey(int id) {
                    return Optional.of(kpk);
                }

                @Override
                public Optional<OneTimePreKeyPair> oneTimePreKey(int id) {
                    return Optional.of(opk);
                }
            };

            report("PQXDH session set-ups (initiate + respond + both ratchet inits)", seconds, () -> {
                try (var init = Pqxdh.initiate(alice, bundle, rng); var resp = Pqxdh.respond(bob, lookup, init.message());
                     var a = RatchetSession.initiator(init, rng); var b = RatchetSession.responder(resp)) {
                    blackhole(a.canSend() == b.canSend());
                }
            });

            try (var init = Pqxdh.initiate(alice, bundle, rng); var resp = Pqxdh.respond(bob, lookup, init.message());
                 var a = RatchetSession.initiator(init, rng); var b = RatchetSession.responder(resp)) {
                report("ratchet encrypt+decrypt, one direction (symmetric steps)", seconds,
                        () -> blackhole(b.decrypt(a.encrypt(plaintext), rng).length == PLAINTEXT));
                report("ratchet encrypt+decrypt, alternating (DH step every message)", seconds, new Op() {
                    private boolean aliceSends;

                    @Override
                    public void run() throws CryptoException {
                        aliceSends = !aliceSends;
                        var from = aliceSends ? a : b;
                        var to = aliceSends ? b : a;
                        blackhole(to.decrypt(from.encrypt(plaintext), rng).length == PLAINTEXT);
                    }
                });
            }
        }

        try (var sender = SenderKeyState.create("#bench", "alice/1", rng)) {
            SenderKeyDistribution distribution = sender.distribution();
            report("sender-key encrypt (AES-GCM + Ed25519 signature)", seconds, () -> blackhole(sender.encrypt(plaintext).iteration() >= 0));
            try (var sender2 = SenderKeyState.create("#bench", "alice/1", rng);
                 var receiver = SenderKeyState.fromDistribution("alice/1", sender2.distribution())) {
                report("sender-key encrypt+decrypt (one receiver)", seconds,
                        () -> blackhole(receiver.decrypt(sender2.encrypt(plaintext)).length == PLAINTEXT));
            }
            blackhole(distribution.chainId() >= 0);
        }
    }

    private static volatile boolean sink;

    private static void blackhole(boolean value) {
        sink ^= value;
    }

    private static void report(String name, double seconds, Op op) throws CryptoException {
        run(op, seconds);
        long ops = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now;
        do {
            op.run();
            ops++;
            now = System.nanoTime();
        } while (now < deadline);
        double perSecond = ops / ((now - start) / 1e9);
        System.out.printf(Locale.ROOT, "%-66s %10.0f /s  (%.1f us each)%n", name, perSecond, 1e6 / perSecond);
    }

    private static void run(Op op, double seconds) throws CryptoException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            op.run();
        }
    }
}
