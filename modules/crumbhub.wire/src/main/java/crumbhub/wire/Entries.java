package crumbhub.wire;

import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of list frames (DEVICE_LIST, ROOM_LIST_REPLY, MEMBER_LIST, DEVICE_KEYS_REPLY,
 * KEY_BUNDLES_REPLY, SEND_DEVICES): each writes itself, and every length is counted from that
 * writing, never computed apart from it.
 */
final class Entries {
    private Entries() {}

    /** One entry of a list frame. */
    interface Entry {
        /** Writes the entry; the same bytes every time. */
        void write(BinaryWriter out);
    }

    /** Bytes of {@code e} on the wire. */
    static int length(Entry e) {
        BinaryWriter counter = FrameCodec.counter();
        e.write(counter);
        return counter.length();
    }

    /** {@code u16 n, n × entry, u8 more}: the tail of every reply list. */
    static void writeList(BinaryWriter out, List<? extends Entry> entries, boolean more) {
        writeEntries(out, entries);
        out.flag(more);
    }

    /** {@code u16 n, n × entry}. */
    static void writeEntries(BinaryWriter out, List<? extends Entry> entries) {
        out.u16(entries.size());
        for (Entry e : entries) {
            e.write(out);
        }
    }

    /**
     * The leading entries of {@code all} that fit in one frame whose payload without entries is
     * {@code empty}'s, and at most {@link Limits#LIST_COUNT} of them.
     */
    static <T extends Entry> List<T> fitting(List<T> all, Frame empty) {
        List<T> fit = new ArrayList<>();
        long len = FrameCodec.payloadLength(empty);
        for (T e : all) {
            len += length(e);
            if (len > Frame.MAX_PAYLOAD || fit.size() == Limits.LIST_COUNT) {
                break;
            }
            fit.add(e);
        }
        return fit;
    }
}
