package crumbhub.client.e2e;

import crumbhub.client.message.MessageOpener.Result;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.wire.MessageId;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The results of the deliveries most recently opened with one session or one room's keys, kept
 * in the same record as those keys and written with them, so a delivery opened again after a
 * crash (before its acknowledgement reached the server) shows the same text instead of failing:
 * its message key was deleted the first time. Keyed by a digest of the delivery. Bounded in
 * entries and text bytes; secret (it holds message text).
 *
 * <p>Encoding: {@code u8 n, n × (bytes16 key, u8 kind, kind 1: [id16, bytes16 text] | kind 2: str16 what
 * | kind 3: [id16, u64 sentAtMs, bytes16 text] | kind 4: [id16, u64 sentAtMs, bytes16 text, u8 interaction
 * (1 reply, 2 reaction, 3 edit, 4 delete), id16 the message referred to, u8 flags (1: reaction taken back)])};
 * kind 3 (a message with the sender's time) is new with envelope version 2, kind 4 with envelope
 * types 4-7; kind 1 stays readable.
 */
final class RecentResults {
    /** Deliveries remembered per session or room: a crash leaves at most the last few unacknowledged. */
    static final int MAX_ENTRIES = 8;
    /** Text bytes remembered per session or room. */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private final LinkedHashMap<String, Result> entries = new LinkedHashMap<>();

    Optional<Result> get(byte[] key) {
        return Optional.ofNullable(entries.get(HexFormat.of().formatHex(key)));
    }

    void put(byte[] key, Result result) {
        if (result instanceof Result.Unreadable) {
            throw new IllegalArgumentException("unreadable results are not remembered");
        }
        entries.put(HexFormat.of().formatHex(key), result);
        while (entries.size() > 1 && (entries.size() > MAX_ENTRIES || textBytes() > MAX_TEXT_BYTES)) {
            var it = entries.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    private int textBytes() {
        int n = 0;
        for (Result r : entries.values()) {
            if (r instanceof Result.Opened o) {
                n += o.text().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    void write(BinaryWriter out) {
        out.u8(entries.size());
        for (Map.Entry<String, Result> e : entries.entrySet()) {
            out.bytes16(HexFormat.of().parseHex(e.getKey()));
            switch (e.getValue()) {
                case Result.Opened o when o.interaction() != null -> {
                    int flags = o.interaction() instanceof crumbhub.client.message.Interaction.React r && r.remove() ? 1 : 0;
                    out.u8(4).raw(o.id().toBytes()).u64(o.sentAt().toEpochMilli())
                            .bytes16(o.text().getBytes(StandardCharsets.UTF_8)).u8(interactionCode(o.interaction()))
                            .raw(o.interaction().to().toBytes()).u8(flags);
                }
                case Result.Opened o when o.sentAt() == null ->
                        out.u8(1).raw(o.id().toBytes()).bytes16(o.text().getBytes(StandardCharsets.UTF_8));
                case Result.Opened o -> out.u8(3).raw(o.id().toBytes()).u64(o.sentAt().toEpochMilli())
                        .bytes16(o.text().getBytes(StandardCharsets.UTF_8));
                case Result.Control c -> out.u8(2).str16(c.what());
                case Result.Unreadable u -> throw new IllegalStateException("unreadable results are not remembered");
            }
        }
    }

    static RecentResults read(BinaryReader<Malformed> in) throws Malformed {
        var recent = new RecentResults();
        int n = in.u8();
        if (n > MAX_ENTRIES) {
            throw new Malformed(n + " remembered results");
        }
        for (int i = 0; i < n; i++) {
            String key = HexFormat.of().formatHex(in.bytes16());
            Result r = switch (in.u8()) {
                case 1 -> new Result.Opened(MessageId.fromBytes(in.fixed(16)), in.str16());
                case 2 -> new Result.Control(in.str16());
                case 3 -> {
                    MessageId id = MessageId.fromBytes(in.fixed(16));
                    java.time.Instant sentAt = java.time.Instant.ofEpochMilli(in.u64());
                    yield new Result.Opened(id, in.str16(), sentAt);
                }
                case 4 -> {
                    MessageId id = MessageId.fromBytes(in.fixed(16));
                    java.time.Instant sentAt = java.time.Instant.ofEpochMilli(in.u64());
                    String text = in.str16();
                    int code = in.u8();
                    MessageId to = MessageId.fromBytes(in.fixed(16));
                    boolean remove = in.u8() == 1;
                    yield new Result.Opened(id, text, sentAt, switch (code) {
                        case 1 -> new crumbhub.client.message.Interaction.Reply(to);
                        case 2 -> new crumbhub.client.message.Interaction.React(to, remove);
                        case 3 -> new crumbhub.client.message.Interaction.Edit(to);
                        case 4 -> new crumbhub.client.message.Interaction.Delete(to);
                        default -> throw new Malformed("unknown interaction");
                    });
                }
                default -> throw new Malformed("unknown result kind");
            };
            recent.entries.put(key, r);
        }
        return recent;
    }

    private static int interactionCode(crumbhub.client.message.Interaction i) {
        return switch (i) {
            case crumbhub.client.message.Interaction.Reply r -> 1;
            case crumbhub.client.message.Interaction.React r -> 2;
            case crumbhub.client.message.Interaction.Edit e -> 3;
            case crumbhub.client.message.Interaction.Delete d -> 4;
        };
    }
}
