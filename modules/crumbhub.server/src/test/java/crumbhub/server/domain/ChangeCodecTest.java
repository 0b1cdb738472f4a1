package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChangeCodecTest {
    @Test
    void everyChangeTypeRoundTrips() {
        var f = History.build();
        var seen = new HashSet<Class<?>>();
        for (Change c : f.journal) {
            byte[] encoded = ChangeCodec.encode(c);
            Change decoded = ChangeCodec.decode(encoded);
            assertThat(decoded.getClass()).isEqualTo(c.getClass());
            assertThat(ChangeCodec.encode(decoded)).isEqualTo(encoded);
            assertThat(decoded.toString()).isEqualTo(c.toString());
            seen.add(c.getClass());
        }
        assertThat(seen).containsAll(Arrays.asList(Change.class.getPermittedSubclasses()));
    }

    @Test
    void messageRecordEncodingIsStable() {
        byte[] id = new byte[16];
        id[15] = 7;
        var c = new Change.MessageStored(5, 1000, Kind.ROOM, "ops", "al", 2, id, 1, new byte[] {9, 8});
        assertThat(HexFormat.of().formatHex(ChangeCodec.encode(c))).isEqualTo(
                "010e" + "0000000000000005" + "00000000000003e8" + "01" + "0003" + "6f7073" + "0002" + "616c"
                        + "00000002" + "00000000000000000000000000000007" + "01" + "00000002" + "0908");
    }

    @Test
    void trailingBytesUnknownVersionsTagsAndTruncationAreCorrupt() {
        byte[] good = ChangeCodec.encode(new Change.DeviceSeen("alice", 1, 5));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> ChangeCodec.decode(trailing)).isInstanceOf(CorruptStateException.class);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> ChangeCodec.decode(cut)).isInstanceOf(CorruptStateException.class);
        }
        byte[] version = good.clone();
        version[0] = 2;
        assertThatThrownBy(() -> ChangeCodec.decode(version)).hasMessageContaining("version");
        byte[] tag = good.clone();
        tag[1] = (byte) 200;
        assertThatThrownBy(() -> ChangeCodec.decode(tag)).hasMessageContaining("tag");
    }

    @Test
    void hugeLengthIsRejectedBeforeAllocating() {
        byte[] rec = HexFormat.of().parseHex("0108" + "7fffffff");
        assertThatThrownBy(() -> ChangeCodec.decode(rec)).isInstanceOf(CorruptStateException.class);
    }

    @Test
    void secretsAndBodiesStayOutOfToString() {
        var c = new Change.UserRegistered("alice", "pbkdf2$secret", 1, new byte[0]);
        assertThat(c.toString()).doesNotContain("secret");
        var m = new Change.MessageStored(1, 1, Kind.DIRECT, "bob", "alice", 1, new byte[16], 0,
                "attack at dawn".getBytes());
        assertThat(m.toString()).doesNotContain("attack");
    }
}
