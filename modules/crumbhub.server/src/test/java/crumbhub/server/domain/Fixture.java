package crumbhub.server.domain;

import crumbhub.testkit.ManualTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A domain over a fresh state with a hand-moved clock, a seeded random and a journal list. */
final class Fixture {
    final ManualTime time = new ManualTime(Instant.ofEpochMilli(1_700_000_000_000L));
    final Clock clock = time.clock();
    final List<Change> journal = new ArrayList<>();
    final State state = new State();
    final Domain domain;
    private int keyCounter;

    Fixture() {
        this(Quotas.defaults());
    }

    Fixture(Quotas quotas) {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("SHA1PRNG");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        random.setSeed(42);
        domain = new Domain(state, clock, random, journal::add, quotas);
    }

    /** A distinct fake 32-byte static key. */
    byte[] key() {
        byte[] k = new byte[32];
        k[0] = (byte) ++keyCounter;
        k[31] = (byte) 0x5a;
        return k;
    }

    Device register(String name) {
        try {
            return domain.register(RegistrationMode.OPEN, name, "", "hash-of-" + name, name + "-laptop", key())
                    .device();
        } catch (Rejected e) {
            throw new AssertionError(e);
        }
    }

    Device newDevice(User user) {
        try {
            return domain.login(user, "phone", key()).device();
        } catch (Rejected e) {
            throw new AssertionError(e);
        }
    }

    Domain.Stored sendRoom(Device from, String room, String text) throws Rejected {
        return (Domain.Stored) domain.send(from, Kind.ROOM, room, id(), 0, text.getBytes());
    }

    Domain.Stored sendDirect(Device from, String peer, String text) throws Rejected {
        return (Domain.Stored) domain.send(from, Kind.DIRECT, peer, id(), 0, text.getBytes());
    }

    private int idCounter;

    byte[] id() {
        byte[] id = new byte[16];
        int n = ++idCounter;
        id[12] = (byte) (n >>> 24);
        id[13] = (byte) (n >>> 16);
        id[14] = (byte) (n >>> 8);
        id[15] = (byte) n;
        return id;
    }

    void tick() {
        time.advance(Duration.ofSeconds(1));
    }

    /** Seqs in the device's mailbox after its cursor, i.e. what a SYNC would deliver. */
    static List<Long> pending(Device d) {
        var out = new ArrayList<Long>();
        MessageQueue q = d.mailbox();
        for (int i = q.indexAfter(d.cursor()); i < q.size(); i++) {
            out.add(q.get(i).seq());
        }
        return out;
    }
}
