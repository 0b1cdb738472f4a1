package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminResponse;
import crumbhub.server.store.BackupBlobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts' history backups (docs/server.md "History backup") are in a server backup, signed
 * with it, and come back with a restore; a torn tail is cut off when the store opens.
 */
class BackupBlobsBackupTest {
    @TempDir
    Path tmp;

    private static void append(BackupBlobs blobs, String user, long index, byte[] blob) throws Exception {
        var done = new CompletableFuture<BackupBlobs.Appended>();
        assertThat(blobs.append(user, 7, 0x1234L, index, blob, 1L << 20, done::complete)).isTrue();
        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(new BackupBlobs.Appended.Stored(false));
    }

    private static BackupBlobs.Listing list(BackupBlobs blobs, String user) throws Exception {
        var done = new CompletableFuture<BackupBlobs.Listing>();
        blobs.list(user, done::complete);
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void historyBackupsAreInTheServerBackupAndComeBackWithARestore() throws Exception {
        Path data = tmp.resolve("data");
        DataFormatTest.copyFixture(data);
        try (BackupBlobs blobs = BackupBlobs.open(data)) {
            append(blobs, "alice", 0, new byte[] {1, 2, 3});
            append(blobs, "alice", 1, new byte[] {4, 5});
            blobs.close(10_000);
        }
        Path backup = tmp.resolve("backup");
        try (Server s = Server.start(DataFormatTest.options(data))) {
            AdminResponse r = AdminClient.call(data, new AdminRequest.Backup(backup), l -> { });
            assertThat(r.ok()).as(r.error()).isTrue();
        }
        assertThat(BackupBlobs.files(backup)).hasSize(1);

        Path fresh = tmp.resolve("fresh");
        Backups.restore(fresh, backup, false, l -> { });
        try (BackupBlobs restored = BackupBlobs.open(fresh)) {
            var listing = list(restored, "alice");
            assertThat(listing.streams()).containsExactly(new BackupBlobs.StreamInfo(7, 0x1234L, 2, 3 + 2 + 16));
            var fetched = new CompletableFuture<BackupBlobs.Fetched>();
            restored.fetch("alice", 7, 0x1234L, 1, fetched::complete);
            assertThat(fetched.get(10, TimeUnit.SECONDS).blobs()).containsExactly(new byte[] {4, 5});
        }

        Path stream = BackupBlobs.files(backup).getFirst();
        byte[] b = Files.readAllBytes(stream);
        b[b.length - 1] ^= 1;
        Files.write(stream, b);
        assertThatThrownBy(() -> Backups.restore(tmp.resolve("other"), backup, false, l -> { }))
                .hasMessageContaining("does not match its signature");
    }

    @Test
    void aTornTailIsCutOffAndTheNextBatchGoesInItsPlace() throws Exception {
        Path data = tmp.resolve("data");
        try (BackupBlobs blobs = BackupBlobs.open(data)) {
            append(blobs, "bob", 0, new byte[] {9});
            blobs.close(10_000);
        }
        Path stream = BackupBlobs.files(data).getFirst();
        Files.write(stream, new byte[] {0, 0, 0, 5, 1, 2}, StandardOpenOption.APPEND);
        try (BackupBlobs blobs = BackupBlobs.open(data)) {
            assertThat(list(blobs, "bob").streams().getFirst().batches()).isEqualTo(1);
            append(blobs, "bob", 1, new byte[] {8});
            assertThat(list(blobs, "bob").streams().getFirst().batches()).isEqualTo(2);
        }
    }
}
