package crumbhub.crypto.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BinaryReaderWriterTest {

    /** A failure type of this test's own, as each layer has one. */
    static final class Bad extends Exception {
        Bad(String what, String detail) {
            super(what + ": " + detail);
        }
    }

    private static BinaryReader<Bad> reader(byte[] b) {
        return BinaryReader.of(b, "record", Bad::new);
    }

    private static void write(BinaryWriter w) {
        w.u8(0xFE).u16(0xBEEF).u32(-1).u31(7).u64(0x0102030405060708L).flag(true)
                .fixed(new byte[] {9, 9}, 2).bytes8(new byte[] {1}).bytes16(new byte[] {2, 3}).bytes32(new byte[0])
                .str8("é€").str16("\uD83D\uDE00");
    }

    @Test
    void everyFieldRoundTripsBigEndian() throws Bad {
        var w = BinaryWriter.growable(4);
        write(w);
        byte[] b = w.toByteArray();
        assertThat(HexFormat.of().formatHex(b, 0, 11)).isEqualTo("febeefffffffff00000007");
        var r = reader(b);
        assertThat(r.u8()).isEqualTo(0xFE);
        assertThat(r.u16()).isEqualTo(0xBEEF);
        assertThat(r.u32()).isEqualTo(-1);
        assertThat(r.u31()).isEqualTo(7);
        assertThat(r.u64()).isEqualTo(0x0102030405060708L);
        assertThat(r.flag()).isTrue();
        assertThat(r.fixed(2)).containsExactly(9, 9);
        assertThat(r.bytes8(1)).containsExactly(1);
        assertThat(r.bytes16(2)).containsExactly(2, 3);
        assertThat(r.bytes32(0)).isEmpty();
        assertThat(r.str8(5)).isEqualTo("é€");
        assertThat(r.str16()).isEqualTo("\uD83D\uDE00");
        r.end();
    }

    @Test
    void countingAndBufferWritersAgreeWithTheGrowableOne() {
        var grown = BinaryWriter.growable(16);
        write(grown);
        byte[] expected = grown.toByteArray();
        var counter = BinaryWriter.counting();
        write(counter);
        assertThat(counter.length()).isEqualTo(expected.length);
        ByteBuffer out = ByteBuffer.allocate(expected.length + 3).position(3);
        write(BinaryWriter.into(out));
        assertThat(out.position()).isEqualTo(expected.length + 3);
        assertThat(out.array()).endsWith(expected);
        assertThatThrownBy(() -> write(BinaryWriter.into(ByteBuffer.allocate(expected.length - 1))))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void stringsAreWhatGetBytesGivesEvenWithAnUnpairedSurrogate() {
        String s = "a\uD800b\uDC00é";
        var w = BinaryWriter.growable(0).str16(s);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertThat(w.toByteArray()).isEqualTo(ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length)
                .put(utf8).array());
        assertThat(Utf8.length(s)).isEqualTo(utf8.length);
        assertThatThrownBy(() -> Utf8.strictLength(s)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesOutsideTheirFieldAreProgrammingErrors() {
        assertThatThrownBy(() -> BinaryWriter.counting().u8(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryWriter.counting().u16(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryWriter.counting().u31(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryWriter.counting().str8("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryWriter.counting().fixed(new byte[3], 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedInputIsTheLayersExceptionNamingTheField() {
        assertThatThrownBy(() -> reader(new byte[] {0, 1}).u32("seq")).isInstanceOf(Bad.class)
                .hasMessage("record: seq runs past the end of the record");
        assertThatThrownBy(() -> reader(new byte[] {5, 'a'}).str8(4)).isInstanceOf(Bad.class)
                .hasMessageContaining("is 5 bytes, at most 4 allowed");
        assertThatThrownBy(() -> reader(new byte[] {2, (byte) 0xC0, (byte) 0xAF}).str8(9, "name"))
                .hasMessageContaining("name is not valid UTF-8");
        assertThatThrownBy(() -> reader(new byte[] {2}).flag()).hasMessageContaining("must be 0 or 1");
        assertThatThrownBy(() -> reader(new byte[] {(byte) 0x80, 0, 0, 0}).u31()).hasMessageContaining("out of range");
        var trailing = reader(new byte[] {1, 2});
        assertThatThrownBy(() -> {
            trailing.u8();
            trailing.end();
        }).hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> reader(new byte[] {3}).version(1)).hasMessageContaining("unsupported version 3");
    }

    @Test
    void aLyingCountOrLengthIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> reader(new byte[] {0, 100, 1, 2}).count16(1000, 2, "entries"))
                .hasMessageContaining("entries claims 100 entries, more than the record holds");
        assertThatThrownBy(() -> reader(new byte[] {0, 100}).count16(10, 0)).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> reader(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}).bytes32(1 << 20))
                .hasMessageContaining("4294967295 bytes");
        assertThatThrownBy(() -> reader(new byte[] {0, 0, 0, 9}).count32(8)).hasMessageContaining("9 entries");
    }

    @Test
    void aReaderSeesOnlyItsRangeAndLeavesTheBufferPositionAlone() throws Bad {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        var r = BinaryReader.of(b, 1, 3, "frame", Bad::new);
        assertThat(r.u16()).isEqualTo(0x0203);
        assertThat(r.remaining()).isZero();
        assertThat(b.position()).isZero();
        assertThatThrownBy(r::u8).isInstanceOf(Bad.class);
    }

    @Test
    void aGatheringWriterWritesTheSameBytesAndSharesLargeArraysInsteadOfCopyingThem() {
        byte[] large = new byte[300];
        java.util.Arrays.fill(large, (byte) 7);
        var growable = BinaryWriter.growable(4);
        var gathering = BinaryWriter.gathering(16, 100);
        for (BinaryWriter w : new BinaryWriter[] {growable, gathering}) {
            write(w);
            w.bytes32(large).u64(42).raw(new byte[40]).str8("tail");
            write(w);
        }
        int length = gathering.length();
        var parts = gathering.parts();
        var joined = ByteBuffer.allocate(parts.stream().mapToInt(ByteBuffer::remaining).sum());
        parts.forEach(p -> joined.put(p.duplicate()));

        assertThat(joined.array()).isEqualTo(growable.toByteArray());
        assertThat(length).isEqualTo(joined.capacity());
        // the large array is a part of its own, the very array; the 40-byte one was copied into a chunk
        assertThat(parts).anySatisfy(p -> {
            assertThat(p.remaining()).isEqualTo(300);
            large[0] = 8;
            assertThat(p.get(p.position())).isEqualTo((byte) 8);
        });
        assertThat(parts).allMatch(ByteBuffer::isReadOnly);
        assertThatThrownBy(gathering::parts).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BinaryWriter.gathering(16, 1).recount()).isInstanceOf(IllegalStateException.class);
    }
}
