package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The {@code keys} record's one-time ML-KEM prekeys: kept, found once, deleted, and the upgrade from version 1. */
class OwnKeysTest {
    private final SecureRandom rng = new SecureRandom();

    @Test
    void oneTimeKemPreKeysSurviveTheRecordAndAreGoneOnceConsumed() {
        try (var keys = OwnKeys.generate(rng, 0)) {
            assertThat(keys.neverMadeOneTimeKem()).isTrue();
            var batch = keys.addOneTimeKem(3, rng);
            int first = batch.get(0).id();
            batch.forEach(crumbhub.crypto.pqxdh.KemPreKeyPair::close);
            try (var back = OwnKeys.decode(keys.encode())) {
                assertThat(back.neverMadeOneTimeKem()).isFalse();
                assertThat(back.oneTimeKemCount()).isEqualTo(3);
                assertThat(back.oneTimeKemPreKey(first)).isPresent();
                assertThat(back.kemPreKey(first)).as("one-time ids are not last-resort ids").isNotEqualTo(back.oneTimeKemPreKey(first));
                back.consumeKem(first);
                try (var after = OwnKeys.decode(back.encode())) {
                    assertThat(after.oneTimeKemPreKey(first)).isEmpty();
                    assertThat(after.oneTimeKemCount()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aVersionOneRecordLoadsWithoutOneTimeKemPreKeysAndAsksForAFirstBatch() {
        try (var keys = OwnKeys.generate(rng, 0)) {
            byte[] v2 = keys.encode();
            // version 1 is version 2 without its last fields: u32 nextOneTimeKemId, u16 count (0 here)
            byte[] v1 = Arrays.copyOf(v2, v2.length - 6);
            v1[0] = 1;
            try (var old = OwnKeys.decode(v1)) {
                assertThat(old.neverMadeOneTimeKem()).isTrue();
                assertThat(old.oneTimeKemCount()).isZero();
                assertThat(old.identity.publicKey()).isEqualTo(keys.identity.publicKey());
            }
        }
    }
}
