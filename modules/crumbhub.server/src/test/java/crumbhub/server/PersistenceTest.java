package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Fingerprint;
import crumbhub.server.domain.Change;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Kind;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    @TempDir
    Path data;

    /** Applies a few commands through a Domain whose journal appends to the store, waiting for each. */
    private static byte[] populate(Persistence p, boolean snapshotHalfway) throws Exception {
        var domain = new Domain(p.state(), Clock.systemUTC(), new SecureRandom(), c -> append(p, c));
        var a = domain.register(RegistrationMode.OPEN, "alice", "", "h1", "laptop", key(1)).device();
        domain.register(RegistrationMode.OPEN, "bob", "", "h2", "pc", key(2));
        domain.rooms().create(a.user(), "ops");
        domain.rooms().invite(a.user(), "ops", "bob");
        if (snapshotHalfway) {
            var done = new CompletableFuture<Exception>();
            p.snapshot(SnapshotCodec.encodeParts(p.state()), done::complete);
            assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
        }
        domain.rooms().join(p.state().user("bob"), "ops");
        domain.send(a, Kind.ROOM, "ops", new byte[16], 0, "hello".getBytes());
        return SnapshotCodec.encode(p.state());
    }

    private static void append(Persistence p, Change c) {
        var done = new CompletableFuture<Exception>();
        p.append(ChangeCodec.encode(c), done::complete);
        try {
            assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        k[0] = (byte) b;
        return k;
    }

    @Test
    void reopenedStoreRebuildsTheSameState() throws Exception {
        byte[] live;
        try (var p = Persistence.open(data)) {
            live = populate(p, false);
        }
        try (var p = Persistence.open(data)) {
            assertThat(SnapshotCodec.encode(p.state())).isEqualTo(live);
            assertThat(p.replayed()).isGreaterThan(0);
        }
    }

    @Test
    void reopenFromSnapshotPlusLaterRecordsRebuildsTheSameState() throws Exception {
        byte[] live;
        try (var p = Persistence.open(data)) {
            live = populate(p, true);
        }
        try (var p = Persistence.open(data)) {
            assertThat(SnapshotCodec.encode(p.state())).isEqualTo(live);
            assertThat(p.replayed()).isEqualTo(2);
        }
    }

    @Test
    void secondOpenOfTheSameDataDirectoryIsRefused() throws Exception {
        try (var p = Persistence.open(data)) {
            assertThatThrownBy(() -> Persistence.open(data)).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.IN_USE));
        }
    }

    @Test
    void serverKeyIsCreatedPrivateAndReused() throws Exception {
        Files.createDirectories(data);
        String fp;
        try (var k = ServerKey.loadOrCreate(data, new SecureRandom())) {
            fp = Fingerprint.of(k.publicKey());
        }
        Path file = data.resolve(ServerKey.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var k = ServerKey.loadOrCreate(data, new SecureRandom())) {
            assertThat(Fingerprint.of(k.publicKey())).isEqualTo(fp);
        }
        Files.write(file, new byte[] {9, 9});
        assertThatThrownBy(() -> ServerKey.loadOrCreate(data, new SecureRandom()))
                .hasMessageContaining("not a CrumbHub server key");
    }
}
