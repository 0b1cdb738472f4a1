package crumbhub.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of a history backup stream (docs/protocol.md §9): only the next batch is stored, a
 * retry of the last one is answered as stored, a taken index is never replaced, the account's
 * quota holds, and deletion removes everything of that account only.
 */
class BackupBlobsTest {
    @TempDir
    Path data;

    private static BackupBlobs.Appended append(BackupBlobs blobs, String user, long index, byte[] blob, long quota)
            throws Exception {
        var done = new CompletableFuture<BackupBlobs.Appended>();
        assertThat(blobs.append(user, 1, 42L, index, blob, quota, done::complete)).isTrue();
        return done.get(10, TimeUnit.SECONDS);
    }

    private static BackupBlobs.Listing list(BackupBlobs blobs, String user) throws Exception {
        var done = new CompletableFuture<BackupBlobs.Listing>();
        blobs.list(user, done::complete);
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStreamTakesOnlyItsNextBatchAndARetryOfTheLastIsAnsweredAsStored() throws Exception {
        try (BackupBlobs blobs = BackupBlobs.open(data)) {
            assertThat(append(blobs, "alice", 1, new byte[] {1}, 1000)).isEqualTo(new BackupBlobs.Appended.WrongIndex(0));
            assertThat(append(blobs, "alice", 0, new byte[] {1}, 1000)).isEqualTo(new BackupBlobs.Appended.Stored(false));
            assertThat(append(blobs, "alice", 0, new byte[] {1}, 1000)).as("a retry after a lost reply")
                    .isEqualTo(new BackupBlobs.Appended.Stored(true));
            assertThat(append(blobs, "alice", 0, new byte[] {2}, 1000)).as("another blob at a taken index")
                    .isEqualTo(new BackupBlobs.Appended.Taken());
            assertThat(append(blobs, "alice", 1, new byte[] {2}, 1000)).isEqualTo(new BackupBlobs.Appended.Stored(false));
            assertThat(append(blobs, "alice", 0, new byte[] {1}, 1000)).as("only the last batch is a retry")
                    .isEqualTo(new BackupBlobs.Appended.Taken());
            assertThat(list(blobs, "alice").streams()).containsExactly(new BackupBlobs.StreamInfo(1, 42L, 2, 18));
        }
    }

    @Test
    void theQuotaCountsEveryBatchOfTheAccountAndDeletionFreesIt() throws Exception {
        try (BackupBlobs blobs = BackupBlobs.open(data)) {
            assertThat(append(blobs, "alice", 0, new byte[12], 40)).isEqualTo(new BackupBlobs.Appended.Stored(false));
            assertThat(append(blobs, "alice", 1, new byte[12], 40)).isEqualTo(new BackupBlobs.Appended.Stored(false));
            assertThat(append(blobs, "alice", 2, new byte[12], 40)).isEqualTo(new BackupBlobs.Appended.OverQuota(40));
            assertThat(append(blobs, "bob", 0, new byte[12], 40)).as("another account's quota")
                    .isEqualTo(new BackupBlobs.Appended.Stored(false));
            assertThat(blobs.totalBytes()).isEqualTo(60);

            var deleted = new CompletableFuture<String>();
            blobs.delete("alice", deleted::complete);
            assertThat(deleted.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(list(blobs, "alice").streams()).isEmpty();
            assertThat(list(blobs, "bob").streams()).hasSize(1);
            assertThat(blobs.totalBytes()).isEqualTo(20);
            assertThat(append(blobs, "alice", 0, new byte[12], 40)).as("a new stream after the deletion")
                    .isEqualTo(new BackupBlobs.Appended.Stored(false));
        }
        try (BackupBlobs reopened = BackupBlobs.open(data)) {
            assertThat(list(reopened, "alice").usedBytes()).isEqualTo(20);
            assertThat(list(reopened, "bob").usedBytes()).isEqualTo(20);
        }
    }
}
