package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;
import crumbhub.client.home.Home;
import crumbhub.crypto.group.SenderKeyState;
import crumbhub.crypto.identity.IdentityKeys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end store at rest: transactions, locking, names, encodings, passphrase changes. */
class E2eStoreTest {
    @TempDir
    Path tmp;
    private final SecureRandom rng = new SecureRandom();
    private Home home;
    private E2eStore store;

    @BeforeEach
    void open() {
        home = Home.open(tmp.resolve("home"), prompt -> "correct horse".toCharArray(), rng, 1000);
        store = new E2eStore(home, rng);
    }

    @AfterEach
    void close() {
        home.close();
    }

    private byte[] get(String record) {
        return store.transaction(tx -> tx.get(record).orElse(null));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(home.dir().resolve(Home.E2EE_DIR))) {
            return s.sorted().toList();
        }
    }

    @Test
    void aTransactionThatThrowsWritesNothing() {
        store.transaction(tx -> {
            tx.put("session:bob:1", utf8("one"));
            return null;
        });
        assertThatThrownBy(() -> store.transaction(tx -> {
            tx.put("session:bob:1", utf8("two"));
            tx.put("room:ops", utf8("x"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(get("session:bob:1")).isEqualTo(utf8("one"));
        assertThat(get("room:ops")).isNull();
    }

    @Test
    void recordsAreSealedAndTheirFileNamesSayNothingAboutContacts() throws Exception {
        store.transaction(tx -> {
            tx.put("session:bob:1", utf8("secret session of bob"));
            tx.put("peer:bob", utf8("pins"));
            return null;
        });
        for (Path f : files()) {
            assertThat(f.getFileName().toString()).doesNotContain("bob").doesNotContain("session");
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        }
        store.transaction(tx -> {
            tx.delete("peer:bob");
            return null;
        });
        assertThat(get("peer:bob")).isNull();
        assertThat(get("session:bob:1")).isEqualTo(utf8("secret session of bob"));
    }

    @Test
    void concurrentTransactionsDoNotLoseUpdates() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> store.transaction(tx -> {
                    int n = tx.get("counter").map(b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8))).orElse(0);
                    tx.put("counter", utf8(Integer.toString(n + 1)));
                    return null;
                })));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(new String(get("counter"), StandardCharsets.UTF_8)).isEqualTo("40");
    }

    @Test
    void transactionsDoNotNest() {
        assertThatThrownBy(() -> store.transaction(tx -> store.transaction(inner -> null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordsSurviveAPassphraseChangeAndAreGoneAfterLogout() {
        store.transaction(tx -> {
            tx.put("peer:carol", utf8("pinned"));
            return null;
        });
        home.changeProtection("a new passphrase".toCharArray());
        home.close();
        home = Home.open(tmp.resolve("home"), prompt -> "a new passphrase".toCharArray(), rng, 1000);
        store = new E2eStore(home, rng);
        assertThat(get("peer:carol")).isEqualTo(utf8("pinned"));
        home.deleteSession();
        assertThat(get("peer:carol")).isNull();
    }

    @Test
    void keysPinsSessionsAndRoomKeysRoundTrip() {
        try (var keys = OwnKeys.generate(rng, 1_000)) {
            keys.addOneTime(5, rng);
            keys.consume(2);
            byte[] encoded = keys.encode();
            try (var back = OwnKeys.decode(encoded)) {
                assertThat(back.encode()).isEqualTo(encoded);
                assertThat(back.oneTimeCount()).isEqualTo(4);
                assertThat(back.oneTimePreKey(2)).isEmpty();
                assertThat(back.rotateIfDue(1_000 + OwnKeys.ROTATE_AFTER.toMillis(), rng)).isTrue();
                assertThat(back.signedPreKey(1)).as("previous signed prekey kept").isPresent();
            }
        }
        var trust = new PeerTrust("bob");
        byte[] id = IdentityKeys.generate(rng).publicKey().encode();
        byte[] account = {1, 2, 3};
        trust.verify(account);
        trust.certify(-2, id);
        var trustBack = PeerTrust.decode("bob", trust.encode());
        assertThat(trustBack.certified(-2)).hasValueSatisfying(v -> assertThat(v).isEqualTo(id));
        assertThat(trustBack.account()).hasValueSatisfying(v -> assertThat(v).isEqualTo(account));
        assertThat(trustBack.matchesVerified(account)).isTrue();
        assertThat(trustBack.matchesVerified(new byte[] {1, 2})).isFalse();
        // a record from before account identities: its device pins are dropped, its verification must be redone
        byte[] v1 = crumbhub.crypto.binary.BinaryWriter.growable(64).u8(1).u16(1).u32(7).bytes16(id).u8(1).u16(1)
                .bytes16(id).toByteArray();
        var legacy = PeerTrust.decode("bob", v1);
        assertThat(legacy.certified(7)).isEmpty();
        assertThat(legacy.isVerified()).isTrue();
        assertThat(legacy.matchesVerified(account)).isFalse();

        try (var room = new RoomKeys()) {
            room.replaceOwn(SenderKeyState.create("ops", "alice/1", rng));
            room.markDistributed(List.of("bob/1/00"));
            try (var chain = SenderKeyState.create("ops", "bob/1", rng)) {
                room.addReceived(new DeviceRef("bob", 1),
                        SenderKeyState.fromDistribution("bob/1", chain.distribution()));
                for (int i = 0; i < 3; i++) {
                    room.addReceived(new DeviceRef("bob", 1), SenderKeyState.fromDistribution("bob/1",
                            SenderKeyState.create("ops", "bob/1", rng).distribution()));
                }
                byte[] encoded = room.encode();
                try (var back = RoomKeys.decode("ops", encoded)) {
                    assertThat(back.encode()).isEqualTo(encoded);
                    assertThat(back.distributedTo()).containsExactly("bob/1/00");
                    assertThat(back.chain(new DeviceRef("bob", 1), chain.chainId()))
                            .as("only the newest %d chains of a sender are kept", RoomKeys.CHAINS_PER_SENDER).isEmpty();
                }
            }
        }
    }

    @Test
    void aDamagedRecordIsALocalStoreError() {
        assertThatThrownBy(() -> PeerTrust.decode("bob", new byte[] {1, 0, 5}))
                .isInstanceOf(ClientException.class).hasMessageContaining("peer:bob is damaged");
        assertThatThrownBy(() -> OwnKeys.decode(new byte[] {9})).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> RoomKeys.decode("ops", new byte[] {1, 1, 0, 0, 0, 2, 1, 2}))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> DeviceSessions.decode("session:bob:1", new byte[] {1, 0, 0, 9}))
                .isInstanceOf(ClientException.class);
    }
}
