package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End-to-end key distribution and to-device messages in the domain (protocol §6). */
class KeysTest {
    private final SecureRandom rng = new SecureRandom();
    private final Fixture f = new Fixture();

    private static Reason reason(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Rejected e) {
            return e.reason();
        }
        throw new AssertionError("expected a refusal");
    }

    interface ThrowingRunnable {
        void run() throws Rejected;
    }

    @Test
    void aDevicesIdentityIsFixedAtItsFirstUpload() throws Rejected {
        Device alice = f.register("alice");
        var keys = new TestKeys(rng);
        assertThat(f.domain.keys().publish(alice, keys.upload(1, 5))).isEqualTo(5);
        assertThat(alice.identity()).isEqualTo(keys.identityBytes());
        assertThat(reason(() -> f.domain.keys().publish(alice, new TestKeys(rng).upload(100, 1))))
                .isEqualTo(Reason.FORBIDDEN);
        assertThat(alice.identity()).isEqualTo(keys.identityBytes());
        assertThat(alice.oneTimePreKeyCount()).isEqualTo(5);
    }

    @Test
    void republishingTheSameKeysChangesNothingAndNewOneTimeKeysJoinThePool() throws Rejected {
        Device alice = f.register("alice");
        var keys = new TestKeys(rng);
        f.domain.keys().publish(alice, keys.upload(1, 3));
        int journaled = f.journal.size();
        f.domain.keys().publish(alice, keys.upload(1, 0));
        assertThat(f.journal).hasSize(journaled);
        assertThat(f.domain.keys().publish(alice, keys.upload(4, 2))).isEqualTo(5);
    }

    @Test
    void thePoolIsBounded() throws Rejected {
        Device alice = f.register("alice");
        var keys = new TestKeys(rng);
        f.domain.keys().publish(alice, keys.upload(1, 100));
        f.domain.keys().publish(alice, keys.upload(101, 100));
        assertThat(reason(() -> f.domain.keys().publish(alice, keys.upload(201, 1)))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void eachOneTimeKemPreKeyIsHandedOutOnceThenBundlesComeWithoutOne() throws Rejected {
        Device bob = f.register("bob");
        var keys = new TestKeys(rng);
        f.domain.keys().publish(bob, keys.upload(1, 0));
        assertThat(f.domain.keys().publishKem(bob, keys.kemUpload(7, 2))).isEqualTo(2);
        assertThat(f.domain.keys().publishKem(bob, keys.kemUpload(7, 2))).as("known ids are not added again").isEqualTo(2);
        var taken = new java.util.ArrayList<Integer>();
        for (int i = 0; i < 3; i++) {
            var b = f.domain.keys().takeBundles("bob", List.of(1), d -> true, true).get(0);
            taken.add(b.oneTimeKemPreKey() == null ? -1 : b.oneTimeKemPreKey().id());
        }
        assertThat(taken).containsExactly(7, 8, -1);
        assertThat(f.domain.keys().takeBundles("bob", List.of(1)).get(0).oneTimeKemPreKey())
                .as("KEY_BUNDLES never takes one").isNull();
        assertThat(f.journal).filteredOn(c -> c instanceof Change.OneTimeKemPreKeyTaken).hasSize(2);
    }

    @Test
    void oneTimeKemPreKeysMustBeSignedByTheDevicesIdentityAndThePoolIsBounded() throws Rejected {
        Device bob = f.register("bob");
        var keys = new TestKeys(rng);
        assertThat(reason(() -> f.domain.keys().publishKem(bob, keys.kemUpload(1, 1)))).as("no keys published yet")
                .isEqualTo(Reason.WRONG_STATE);
        f.domain.keys().publish(bob, keys.upload(1, 0));
        var other = new TestKeys(rng);
        assertThat(reason(() -> f.domain.keys().publishKem(bob, other.kemUpload(1, 1)))).isEqualTo(Reason.FORBIDDEN);
        for (int first = 1; first < Domain.MAX_ONE_TIME_KEM_PREKEYS; first += 40) {
            int n = Math.min(40, Domain.MAX_ONE_TIME_KEM_PREKEYS - first + 1);
            f.domain.keys().publishKem(bob, keys.kemUpload(first, n));
        }
        assertThat(bob.oneTimeKemPreKeyCount()).isEqualTo(Domain.MAX_ONE_TIME_KEM_PREKEYS);
        assertThat(reason(() -> f.domain.keys().publishKem(bob, keys.kemUpload(1000, 1)))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void aRevokedDevicesOneTimeKemPreKeysAreDroppedAndItsBundlesGone() throws Rejected {
        Device alice = f.register("alice");
        Device phone = f.newDevice(alice.user());
        var keys = new TestKeys(rng);
        f.domain.keys().publish(phone, keys.upload(1, 0));
        f.domain.keys().publishKem(phone, keys.kemUpload(1, 5));
        f.domain.revokeDevice(alice.user(), phone.id());
        assertThat(phone.oneTimeKemPreKeyCount()).isZero();
        assertThat(f.domain.keys().takeBundles("alice", List.of(phone.id()), d -> true, true)).isEmpty();
        assertThat(reason(() -> f.domain.keys().publishKem(phone, keys.kemUpload(10, 1)))).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void aOneTimeKemPreKeyWithALastResortSignatureOrAForgedOneIsInvalid() {
        var keys = new TestKeys(rng);
        byte[] lastResort = keys.kemPreKey.publicPart().encode();
        assertThat(reason(() -> KeyCheck.verifyKem(keys.identityBytes(), List.of(lastResort)))).isEqualTo(Reason.INVALID_KEY);
        var good = keys.kemUpload(1, 1).oneTimeKemPreKeys().get(0).key();
        byte[] forged = good.clone();
        forged[forged.length - 3] ^= 1;
        assertThat(reason(() -> KeyCheck.verifyKem(keys.identityBytes(), List.of(forged)))).isEqualTo(Reason.INVALID_KEY);
        assertThat(reason(() -> KeyCheck.verifyKem(keys.identityBytes(), List.of(good, good)))).isEqualTo(Reason.INVALID_KEY);
    }

    @Test
    void badSignaturesMalformedKeysAndRepeatedIdsAreInvalid() {
        var keys = new TestKeys(rng);
        byte[] id = keys.identityBytes();
        byte[] spk = keys.signedPreKey.publicPart().encode();
        byte[] kpk = keys.kemPreKey.publicPart().encode();
        byte[] badSpk = spk.clone();
        badSpk[badSpk.length - 1] ^= 1;
        byte[] badId = id.clone();
        badId[5] ^= 1;
        byte[] otherKpk = new TestKeys(rng).kemPreKey.publicPart().encode();
        List<byte[]> twice = List.of(keys.oneTime(7, 1).get(0), keys.oneTime(7, 1).get(0));
        assertThat(reason(() -> KeyCheck.verify(id, badSpk, kpk, List.of()))).isEqualTo(Reason.INVALID_KEY);
        assertThat(reason(() -> KeyCheck.verify(badId, spk, kpk, List.of()))).isEqualTo(Reason.INVALID_KEY);
        assertThat(reason(() -> KeyCheck.verify(id, spk, otherKpk, List.of()))).isEqualTo(Reason.INVALID_KEY);
        assertThat(reason(() -> KeyCheck.verify(id, spk, kpk, List.of(new byte[3])))).isEqualTo(Reason.INVALID_KEY);
        assertThat(reason(() -> KeyCheck.verify(id, spk, kpk, twice))).isEqualTo(Reason.INVALID_KEY);
    }

    @Test
    void eachOneTimePrekeyIsHandedOutOnceThenBundlesComeWithoutOne() throws Rejected {
        Device bob = f.register("bob");
        f.domain.keys().publish(bob, new TestKeys(rng).upload(1, 2));
        var first = f.domain.keys().takeBundles("bob", List.of(1));
        var second = f.domain.keys().takeBundles("BOB", List.of(1, 1));
        var third = f.domain.keys().takeBundles("bob", List.of(1));
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(first.get(0).oneTimePreKey().id()).isNotEqualTo(second.get(0).oneTimePreKey().id());
        assertThat(third.get(0).oneTimePreKey()).isNull();
        assertThat(third.get(0).device()).isSameAs(bob);
        assertThat(bob.oneTimePreKeyCount()).isZero();
        assertThat(f.journal).filteredOn(c -> c instanceof Change.OneTimePreKeyTaken).hasSize(2);
    }

    @Test
    void identitiesListActiveDevicesWithKeysInRequestOrder() throws Rejected {
        Device alice = f.register("alice");
        Device phone = f.newDevice(alice.user());
        Device tablet = f.newDevice(alice.user());
        f.register("bob");
        f.domain.keys().publish(alice, new TestKeys(rng).upload(1, 1));
        f.domain.keys().publish(tablet, new TestKeys(rng).upload(1, 1));
        f.domain.keys().publish(phone, new TestKeys(rng).upload(1, 1));
        f.domain.revokeDevice(alice.user(), phone.id());
        var list = f.domain.keys().identities(List.of("bob", "nobody", "Alice", "not a name!"));
        assertThat(list).extracting(KeyRules.UserKeys::user).containsExactly("bob", "nobody", "Alice", "not a name!");
        assertThat(list.get(0).devices()).isEmpty();
        assertThat(list.get(1).devices()).isEmpty();
        assertThat(list.get(2).devices()).containsExactly(alice, tablet);
        assertThat(f.domain.keys().takeBundles("alice", List.of(phone.id(), 99))).isEmpty();
    }

    @Test
    void deviceMessagesReachOnlyTheirDeviceAndStrayEntriesAreDropped() throws Rejected {
        Device alice = f.register("alice");
        Device alicePhone = f.newDevice(alice.user());
        Device bob = f.register("bob");
        Device carol = f.register("carol");
        var result = (Domain.StoredEach) f.domain.sendToDevices(alice, Kind.DIRECT, "Bob", f.id(), 1, List.of(
                new Change.DeviceEntry("bob", bob.id(), new byte[] {1}),
                new Change.DeviceEntry("alice", alicePhone.id(), new byte[] {2}),
                new Change.DeviceEntry("alice", alice.id(), new byte[] {3}),
                new Change.DeviceEntry("carol", carol.id(), new byte[] {4}),
                new Change.DeviceEntry("bob", 77, new byte[] {5}),
                new Change.DeviceEntry("bob", bob.id(), new byte[] {6})));
        assertThat(result.parts()).hasSize(2);
        assertThat(Fixture.pending(bob)).hasSize(1);
        assertThat(bob.mailbox().get(0).body()).containsExactly(1);
        assertThat(bob.mailbox().get(0).target()).isEqualTo("bob");
        assertThat(alicePhone.mailbox().get(0).body()).containsExactly(2);
        assertThat(Fixture.pending(carol)).isEmpty();
        assertThat(Fixture.pending(alice)).isEmpty();
        assertThat(result.seq()).isEqualTo(f.state.lastSeq());
    }

    @Test
    void roomDeviceMessagesNeedMembershipAndGoOnlyToMembers() throws Rejected {
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        Device carol = f.register("carol");
        f.domain.rooms().create(alice.user(), "ops");
        f.domain.rooms().invite(alice.user(), "ops", "bob");
        f.domain.rooms().invite(alice.user(), "ops", "carol");
        f.domain.rooms().join(bob.user(), "ops");
        assertThat(reason(() -> f.domain.sendToDevices(carol, Kind.ROOM, "ops", f.id(), 1, List.of())))
                .isEqualTo(Reason.NOT_MEMBER);
        var result = (Domain.StoredEach) f.domain.sendToDevices(alice, Kind.ROOM, "ops", f.id(), 1, List.of(
                new Change.DeviceEntry("bob", bob.id(), new byte[] {1}),
                new Change.DeviceEntry("carol", carol.id(), new byte[] {2})));
        assertThat(result.parts()).extracting(p -> p.recipients().get(0)).containsExactly(bob);
        assertThat(Fixture.pending(carol)).isEmpty();
    }

    @Test
    void aRepeatedMessageIdStoresNothingNew() throws Rejected {
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        byte[] id = f.id();
        var entries = List.of(new Change.DeviceEntry("bob", bob.id(), new byte[] {1}));
        var first = f.domain.sendToDevices(alice, Kind.DIRECT, "bob", id, 1, entries);
        var again = f.domain.sendToDevices(alice, Kind.DIRECT, "bob", id, 1, entries);
        assertThat(again).isInstanceOf(Domain.Duplicate.class);
        assertThat(again.seq()).isEqualTo(first.seq());
        assertThat(Fixture.pending(bob)).hasSize(1);
    }
}
