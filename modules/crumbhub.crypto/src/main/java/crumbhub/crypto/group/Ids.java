package crumbhub.crypto.group;

import java.nio.charset.StandardCharsets;

/** Bounds on the room and sender names bound into every sender-key message. */
final class Ids {
    /** Encoded as str8: at most 255 UTF-8 bytes. */
    static final int MAX_BYTES = 255;

    private Ids() {}

    static String require(String id, String what) {
        int length = id.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > MAX_BYTES) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_BYTES + " UTF-8 bytes");
        }
        return id;
    }
}
