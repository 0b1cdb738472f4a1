package crumbhub.client.e2e;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.pqxdh.InitialMessage;
import crumbhub.crypto.ratchet.RatchetMessage;

import java.util.Optional;

/**
 * The body of an {@code alg 1} message (one device to one device): the Double Ratchet message,
 * preceded by the encoded PQXDH initial message until the sender's session has heard back from
 * ours, as Signal's PreKey messages do.
 *
 * <pre>
 *   u8 version (1), u8 hasInitial, [bytes16 InitialMessage], RatchetMessage (to the end)
 * </pre>
 */
record RatchetBody(Optional<byte[]> initial, RatchetMessage message) {
    static final int VERSION = 1;
    /** Bytes a body adds around the envelope at most: header, the initial message, the ratchet header and tag. */
    static final int OVERHEAD = 2 + 2 + 1_263 + RatchetMessage.HEADER_LENGTH + 16;

    byte[] encode() {
        var out = BinaryWriter.growable(256).u8(VERSION).u8(initial.isPresent() ? 1 : 0);
        initial.ifPresent(out::bytes16);
        return out.raw(message.encode()).toByteArray();
    }

    /** The initial message, parsed. */
    Optional<InitialMessage> initialMessage() throws Malformed {
        if (initial.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InitialMessage.decode(initial.get()));
        } catch (CryptoException e) {
            throw new Malformed(e.getMessage());
        }
    }

    static RatchetBody decode(byte[] body) throws Malformed {
        var in = BinaryReader.of(body, "message body", Malformed::of);
        if (in.u8() != VERSION) {
            throw new Malformed("unknown body version");
        }
        Optional<byte[]> initial = in.flag() ? Optional.of(in.bytes16()) : Optional.empty();
        try {
            return new RatchetBody(initial, RatchetMessage.decode(in.fixed(in.remaining())));
        } catch (CryptoException e) {
            throw new Malformed(e.getMessage());
        }
    }
}
