package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

/**
 * Taking back a message's ciphertext from the server (0x91, docs/protocol.md "RETRACT"): sent after
 * an end-to-end delete, so recipient devices that have not fetched the message yet never get it.
 */
public sealed interface RetractFrame extends Frame {
    /**
     * 0x91 RETRACT, C→S: {@code id16 messageId}. The server drops every copy it still holds of the
     * asking user's message with that id; another user's message with the same id is never touched.
     * Reply {@code OK}, or {@code ERROR not_found} when it holds none (all delivered, or not the
     * user's).
     */
    record Retract(int requestId, MessageId messageId) implements RetractFrame {
        public Retract {
            java.util.Objects.requireNonNull(messageId, "messageId");
        }

        @Override
        public int typeCode() {
            return FrameType.RETRACT.code();
        }

        @Override
        public void write(BinaryWriter out) {
            messageId.writeTo(out);
        }

        static Retract read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Retract(requestId, MessageId.read(in, "messageId"));
        }
    }
}
