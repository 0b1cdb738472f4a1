package crumbhub.client.e2e;

import crumbhub.client.message.Interaction;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.group.SenderKeyDistribution;
import crumbhub.wire.MessageId;

import java.nio.charset.StandardCharsets;

/**
 * What the end-to-end layer encrypts: a text message, or a room's sender key handed to one
 * device over the pairwise session. The sender writes who it is and the conversation into it,
 * so a server that relabels a delivery (another sender or another target) is caught by the
 * receiver, even when the delivery starts a session with a device it never saw. A text carries
 * the sender's clock, so the time users see is not the server's, and is padded to a size bucket
 * before encryption, so the server learns the bucket, not the length (docs/crypto.md, "Envelope",
 * "Padding").
 *
 * <pre>
 *   u8 version (2; 1 is still read), u8 type, str8 senderUser, u32 senderDevice
 *   type 1 text:        id16 messageId, str8 target, bytes16 text (UTF-8),
 *                       version 2 only: u64 sentAtMs, bytes16 padding (zero bytes)
 *   type 2 sender key:  bytes16 SenderKeyDistribution (crumbhub.crypto.group encoding)
 *   type 3 account key: bytes16 account private key (crumbhub.crypto.account encoding),
 *                       bytes16 the recipient's device certificate: from an approved device of
 *                       the same account to a device it approves
 *   types 4-7 (version 2 only), a message about an earlier one ({@link Interaction}):
 *                       4 reply, 5 reaction, 6 edit, 7 delete:
 *                       id16 messageId, str8 target, id16 the message referred to, u8 flags (bit 0:
 *                       a reaction taken back), bytes16 text (UTF-8: reply or edit text, the emoji,
 *                       empty for a delete), u64 sentAtMs, bytes16 padding (zero bytes)
 *   any other type:     read as {@link Unknown} and skipped by the receiver, so a type a later
 *                       client adds never shows as an error (docs/crypto.md, "Envelope")
 * </pre>
 */
sealed interface Envelope {
    int VERSION = 2;
    /** Envelopes written before the sender's time and the padding: read, never written. */
    int VERSION_UNPADDED = 1;
    int TEXT = 1;
    int SENDER_KEY = 2;
    int ACCOUNT_KEY = 3;
    int REPLY = 4;
    int REACTION = 5;
    int EDIT = 6;
    int DELETE = 7;
    /** Text bytes in one message: a direct message's body (60,000 bytes) must also hold the PQXDH initial message (1,263) and the ratchet header and tag. */
    int MAX_TEXT_BYTES = 58_000;
    /**
     * The largest text envelope, and the last padding bucket: {@link #MAX_TEXT_BYTES} and at most
     * 100 bytes of fields (two 32-character names, ids, lengths, the time), rounded up. With
     * {@link RatchetBody#OVERHEAD} it stays below a wire body's 60,000 bytes.
     */
    int MAX_ENVELOPE_BYTES = MAX_TEXT_BYTES + 200;
    /**
     * Sizes a text envelope is padded to (docs/crypto.md, "Padding"): the smallest one that holds
     * it. Powers of two from 256 bytes (most chat lines) to 32 KiB, then the largest envelope.
     */
    int[] BUCKETS = {256, 512, 1_024, 2_048, 4_096, 8_192, 16_384, 32_768, MAX_ENVELOPE_BYTES};

    /** The sending device, as the sender knows itself. */
    DeviceRef sender();

    /**
     * {@code target}: the room, or the user the direct message was addressed to;
     * {@code sentAtMs}: the sender's clock (epoch milliseconds), or -1 in a version 1 envelope.
     */
    record Text(DeviceRef sender, MessageId id, String target, String text, long sentAtMs) implements Envelope {
        @Override
        public String toString() {
            return "Text[" + id + ", " + target + ", <redacted>]";
        }
    }

    /**
     * A message about an earlier one (types 4-7): a reply, a reaction, an edit or a delete, with
     * the same fields as a {@link Text} and padded the same way, so the server cannot tell them apart.
     */
    record Act(DeviceRef sender, MessageId id, String target, String text, long sentAtMs, Interaction interaction)
            implements Envelope {
        @Override
        public String toString() {
            return "Act[" + id + ", " + target + ", " + interaction.label() + ", <redacted>]";
        }
    }

    /** An envelope of a type this client does not know (a later client's): nothing to show, nothing to store. */
    record Unknown(DeviceRef sender, int type) implements Envelope {
    }

    record SenderKey(DeviceRef sender, SenderKeyDistribution distribution) implements Envelope {
        @Override
        public String toString() {
            return "SenderKey[" + distribution.roomId() + "]";
        }
    }

    /** The account's private key, handed to a device of the same account that the sender approved. Secret. */
    record AccountKey(DeviceRef sender, byte[] privateKey, byte[] certificate) implements Envelope {
        @Override
        public String toString() {
            return "AccountKey[<redacted>]";
        }
    }

    /** The bucket a text envelope of {@code length} bytes (without padding) is padded to. */
    static int bucket(int length) {
        for (int b : BUCKETS) {
            if (length <= b) {
                return b;
            }
        }
        throw new IllegalArgumentException("envelope of " + length + " bytes is past the largest bucket");
    }

    default byte[] encode() {
        int type = switch (this) {
            case Text t -> TEXT;
            case SenderKey k -> SENDER_KEY;
            case AccountKey a -> ACCOUNT_KEY;
            case Act a -> switch (a.interaction()) {
                case Interaction.Reply r -> REPLY;
                case Interaction.React r -> REACTION;
                case Interaction.Edit e -> EDIT;
                case Interaction.Delete d -> DELETE;
            };
            case Unknown u -> throw new IllegalArgumentException("an unknown envelope is never written");
        };
        var out = BinaryWriter.growable(256).u8(VERSION).u8(type).str8(sender().user()).u32(sender().deviceId());
        switch (this) {
            case AccountKey a -> out.bytes16(a.privateKey()).bytes16(a.certificate());
            case Text t -> {
                byte[] text = t.text().getBytes(StandardCharsets.UTF_8);
                out.raw(t.id().toBytes()).str8(t.target()).bytes16(text).u64(t.sentAtMs());
                java.util.Arrays.fill(text, (byte) 0);
                int unpadded = out.length() + 2;
                out.bytes16(new byte[bucket(unpadded) - unpadded]);
            }
            case Act a -> {
                byte[] text = a.text().getBytes(StandardCharsets.UTF_8);
                int flags = a.interaction() instanceof Interaction.React r && r.remove() ? 1 : 0;
                out.raw(a.id().toBytes()).str8(a.target()).raw(a.interaction().to().toBytes()).u8(flags)
                        .bytes16(text).u64(a.sentAtMs());
                java.util.Arrays.fill(text, (byte) 0);
                int unpadded = out.length() + 2;
                out.bytes16(new byte[bucket(unpadded) - unpadded]);
            }
            case SenderKey k -> {
                byte[] d = k.distribution().encode();
                out.bytes16(d);
                java.util.Arrays.fill(d, (byte) 0);
            }
            case Unknown u -> throw new IllegalArgumentException("an unknown envelope is never written");
        }
        return out.toByteArray();
    }

    /** @throws Malformed if it does not parse (then the sender's client is broken or hostile) */
    static Envelope decode(byte[] plaintext) throws Malformed {
        var in = BinaryReader.of(plaintext, "envelope", Malformed::of);
        int version = in.u8();
        if (version != VERSION && version != VERSION_UNPADDED) {
            throw new Malformed("unknown envelope version");
        }
        int type = in.u8();
        var sender = new DeviceRef(in.str8(), in.u32());
        Envelope e = switch (type) {
            case TEXT -> {
                var id = MessageId.fromBytes(in.fixed(16));
                String target = in.str8();
                String text = in.str16();
                long sentAt = -1;
                if (version == VERSION) {
                    sentAt = in.u64();
                    if (sentAt < 0) {
                        throw new Malformed("negative time");
                    }
                    for (byte b : in.bytes16()) {
                        if (b != 0) {
                            throw new Malformed("padding is not zero");
                        }
                    }
                }
                yield new Text(sender, id, target, text, sentAt);
            }
            case SENDER_KEY -> {
                byte[] d = in.bytes16();
                try {
                    yield new SenderKey(sender, SenderKeyDistribution.decode(d));
                } catch (CryptoException ex) {
                    throw new Malformed("bad sender key: " + ex.getMessage());
                } finally {
                    java.util.Arrays.fill(d, (byte) 0);
                }
            }
            case ACCOUNT_KEY -> new AccountKey(sender, in.bytes16(), in.bytes16());
            case REPLY, REACTION, EDIT, DELETE -> {
                if (version != VERSION) {
                    throw new Malformed("a reply, reaction, edit or delete in a version 1 envelope");
                }
                yield act(in, sender, type);
            }
            // a later client's type: its layout is unknown, so the rest is not read (docs/crypto.md "Envelope")
            default -> new Unknown(sender, type);
        };
        if (!(e instanceof Unknown)) {
            in.end();
        }
        return e;
    }

    private static Act act(BinaryReader<Malformed> in, DeviceRef sender, int type) throws Malformed {
        var id = MessageId.fromBytes(in.fixed(16));
        String target = in.str8();
        var to = MessageId.fromBytes(in.fixed(16));
        int flags = in.u8();
        if ((flags & ~1) != 0 || flags != 0 && type != REACTION) {
            throw new Malformed("unknown flags");
        }
        String text = in.str16();
        long sentAt = in.u64();
        if (sentAt < 0) {
            throw new Malformed("negative time");
        }
        for (byte b : in.bytes16()) {
            if (b != 0) {
                throw new Malformed("padding is not zero");
            }
        }
        Interaction interaction = switch (type) {
            case REPLY -> new Interaction.Reply(to);
            case REACTION -> new Interaction.React(to, flags == 1);
            case EDIT -> new Interaction.Edit(to);
            default -> new Interaction.Delete(to);
        };
        String problem = Interaction.problem(interaction, text);
        if (problem != null) {
            throw new Malformed(problem);
        }
        return new Act(sender, id, target, text, sentAt, interaction);
    }
}
