package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.group.SenderKeyState;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room record's chain holders (docs/crypto.md, "Chain holders") and its upgrade from version 1. */
class RoomKeysTest {
    private final SecureRandom rng = new SecureRandom();

    @Test
    void devicesOfferedTheChainMayHoldItUntilConfirmedAndSurviveARestart() {
        try (var keys = new RoomKeys()) {
            keys.replaceOwn(SenderKeyState.create("ops", "alice/1", rng));
            keys.markDistributed(List.of("2/aa"));
            keys.markOffered(List.of("2/aa", "3/bb"));
            assertThat(keys.distributedTo()).containsExactly("2/aa");
            assertThat(keys.mayHold()).containsExactlyInAnyOrder("2/aa", "3/bb");
            try (var again = RoomKeys.decode("ops", keys.encode())) {
                assertThat(again.mayHold()).containsExactlyInAnyOrder("2/aa", "3/bb");
                again.markDistributed(List.of("3/bb"));
                assertThat(again.distributedTo()).containsExactlyInAnyOrder("2/aa", "3/bb");
            }
        }
    }

    @Test
    void aVersion1RecordStillLoads() throws Exception {
        try (var keys = new RoomKeys()) {
            var own = SenderKeyState.create("ops", "alice/1", rng);
            int ownLength = own.serialize().length;
            keys.replaceOwn(own);
            keys.markDistributed(List.of("2/aa"));
            byte[] v2 = keys.encode();
            // version 1 lacks the u16 count of offered devices after the distributed ones
            int at = 2 + 4 + ownLength + 2 + 1 + "2/aa".length();
            var v1 = new ByteArrayOutputStream();
            v1.write(1);
            v1.write(v2, 1, at - 1);
            v1.write(v2, at + 2, v2.length - at - 2);
            try (var old = RoomKeys.decode("ops", v1.toByteArray())) {
                assertThat(old.distributedTo()).containsExactly("2/aa");
                assertThat(old.mayHold()).containsExactly("2/aa");
                assertThat(old.own()).isPresent();
            }
        }
    }
}
