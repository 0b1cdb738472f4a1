package crumbhub.client.e2e;

import crumbhub.client.message.MessageOpener.Result;
import crumbhub.wire.MessageId;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The results of the most recently opened deliveries (record {@code opened}), so that a
 * delivery opened again after a crash, before its acknowledgement reached the server, shows the
 * same text instead of failing: its keys were deleted the first time. Keyed by a digest of the
 * sender and the body. Bounded in entries and bytes; secret (it holds message text).
 *
 * <p>Encoding, version 1: {@code u8 1, u16 n, n × (bytes16 key, u8 kind, [id16, bytes16 text] | str16 what)}.
 */
final class OpenedCache {
    static final String RECORD = "opened";
    private static final int VERSION = 1;
    /** Deliveries remembered: a crash can only leave the last few unacknowledged. */
    static final int MAX_ENTRIES = 64;
    /** Text bytes remembered in all, so the record stays small. */
    static final int MAX_TEXT_BYTES = 256 * 1024;

    private final LinkedHashMap<String, Result> entries = new LinkedHashMap<>();

    Optional<Result> get(byte[] key) {
        return Optional.ofNullable(entries.get(HexFormat.of().formatHex(key)));
    }

    void put(byte[] key, Result result) {
        entries.put(HexFormat.of().formatHex(key), result);
        int bytes = 0;
        for (Result r : entries.values()) {
            bytes += r instanceof Result.Opened o ? o.text().length() * 3 : 0;
        }
        var it = entries.entrySet().iterator();
        while (it.hasNext() && (entries.size() > MAX_ENTRIES || bytes > MAX_TEXT_BYTES) && entries.size() > 1) {
            Map.Entry<String, Result> oldest = it.next();
            bytes -= oldest.getValue() instanceof Result.Opened o ? o.text().length() * 3 : 0;
            it.remove();
        }
    }

    byte[] encode() {
        var out = new Bin.Out().u8(VERSION).u16(entries.size());
        for (var e : entries.entrySet()) {
            out.bytes16(HexFormat.of().parseHex(e.getKey()));
            switch (e.getValue()) {
                case Result.Opened o -> out.u8(1).raw(o.id().toBytes()).bytes16(o.text().getBytes(StandardCharsets.UTF_8));
                case Result.Control c -> out.u8(2).str16(c.what());
                case Result.Unreadable u -> throw new IllegalStateException("unreadable results are not cached");
            }
        }
        return out.toByteArray();
    }

    static OpenedCache decode(byte[] encoded) {
        try {
            var in = new Bin.In(encoded);
            if (in.u8() != VERSION) {
                throw new Bin.Malformed("unknown version");
            }
            var cache = new OpenedCache();
            int n = in.count16(5);
            for (int i = 0; i < n; i++) {
                String key = HexFormat.of().formatHex(in.bytes16());
                Result r = switch (in.u8()) {
                    case 1 -> new Result.Opened(MessageId.fromBytes(in.raw(16)), in.str16());
                    case 2 -> new Result.Control(in.str16());
                    default -> throw new Bin.Malformed("unknown entry kind");
                };
                cache.entries.put(key, r);
            }
            in.end();
            return cache;
        } catch (Bin.Malformed e) {
            throw Bin.damaged(RECORD, e);
        }
    }
}
