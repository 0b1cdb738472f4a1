package crumbhub.client.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.e2e.BackupRoot;
import crumbhub.client.model.ConversationId;
import crumbhub.crypto.CryptoException;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sealing and opening one history batch (docs/crypto.md "History backup"). */
class BackupBatchTest {
    private final SecureRandom rng = new SecureRandom();
    private static final BackupBatch.Place PLACE = new BackupBatch.Place(3, 0x55L, 4);

    private BackupRoot root(String user, int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        byte[] account = new byte[32];
        java.util.Arrays.fill(account, (byte) (fill + 1));
        return new BackupRoot(user, account, key);
    }

    private static BackupBatch.Entry line(String text) {
        return new BackupBatch.Entry(ConversationId.direct("bob"), new HistoryRecord(HistoryRecord.Kind.TEXT,
                "0123", "bob", 9, Instant.ofEpochMilli(1_700_000_000_123L), text, false));
    }

    @Test
    void aBatchOpensAsTheBatchItWasSealedAs() throws Exception {
        var root = root("alice", 1);
        var entries = List.of(line("hello ☃"), new BackupBatch.Entry(ConversationId.room("ops"),
                new HistoryRecord(HistoryRecord.Kind.LEFT, "n-1", "", 0, Instant.ofEpochMilli(5), "", false)));
        byte[] blob = BackupBatch.seal(root, PLACE, entries, rng);
        assertThat(BackupBatch.open(root, PLACE, blob)).isEqualTo(entries);
    }

    @Test
    void aBatchDoesNotOpenAtAnotherPlaceAccountOrKey() {
        var root = root("alice", 1);
        byte[] blob = BackupBatch.seal(root, PLACE, List.of(line("x")), rng);
        for (var other : List.of(new BackupBatch.Place(3, 0x55L, 5), new BackupBatch.Place(4, 0x55L, 4),
                new BackupBatch.Place(3, 0x56L, 4))) {
            assertThatThrownBy(() -> BackupBatch.open(root, other, blob)).as("%s", other)
                    .isInstanceOf(CryptoException.class);
        }
        assertThatThrownBy(() -> BackupBatch.open(new BackupRoot("mallory", root.accountId(), root.key()), PLACE, blob))
                .as("another account's name").isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> BackupBatch.open(root("alice", 7), PLACE, blob))
                .as("a key the server chose").isInstanceOf(CryptoException.class);
        byte[] flipped = blob.clone();
        flipped[flipped.length / 2] ^= 1;
        assertThatThrownBy(() -> BackupBatch.open(root, PLACE, flipped)).isInstanceOf(CryptoException.class);
    }

    @Test
    void batchesOfDifferentSizesInOneBucketHaveBlobsOfEqualLength() {
        var root = root("alice", 1);
        int small = BackupBatch.seal(root, PLACE, List.of(line("a")), rng).length;
        int larger = BackupBatch.seal(root, PLACE, List.of(line("a".repeat(3_000)), line("b".repeat(500))), rng).length;
        int big = BackupBatch.seal(root, PLACE, List.of(line("c".repeat(10_000))), rng).length;
        assertThat(larger).isEqualTo(small).isEqualTo(1 + 12 + 4_096 + 16);
        assertThat(big).isEqualTo(1 + 12 + 16_384 + 16);
        int full = BackupBatch.seal(root, PLACE, List.of(line("d".repeat(BackupBatch.MAX_CONTENT - 200))), rng).length;
        assertThat(full).isEqualTo(1 + 12 + 57_344 + 16).isLessThanOrEqualTo(crumbhub.wire.Limits.BACKUP_BLOB);
    }
}
