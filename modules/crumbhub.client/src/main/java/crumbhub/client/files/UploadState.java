package crumbhub.client.files;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.file.FileStream;
import crumbhub.wire.FileId;
import crumbhub.wire.MessageId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a {@code send-file} remembers between runs, sealed in the home like every record
 * (docs/client.md "Files"), so that running the same command again after a lost connection or a
 * killed client goes on where the server's copy ends: the blob's id, the file key and header
 * (sealing is deterministic, so the same bytes come out again), the file's size and SHA-256 (a
 * file that changed gets a new key and upload: a key never seals two contents) and the id of the
 * message that will announce it (a repeated announcement is de-duplicated). Deleted once the
 * message is sent. {@link #toString} never shows the key.
 *
 * <pre>
 *   u8 version (1), id16 blob, 32 bytes key, 17 bytes header, u64 size, 32 bytes sha256, id16 message
 * </pre>
 */
public record UploadState(FileId blob, byte[] key, byte[] header, long size, byte[] sha256, MessageId message) {
    private static final int VERSION = 1;

    /** The record name for sending {@code sha256}'s content from {@code path} to {@code target}: {@code upload} and 24 hex digits. */
    public static String recordName(String path, String target, byte[] sha256) {
        var md = Digests.sha256();
        md.update((path + "\0" + target + "\0").getBytes(StandardCharsets.UTF_8));
        md.update(sha256);
        return "upload" + HexFormat.of().formatHex(md.digest(), 0, 12);
    }

    public byte[] encode() {
        return BinaryWriter.growable(160).u8(VERSION).u64(blob.high()).u64(blob.low()).raw(key).raw(header).u64(size)
                .raw(sha256).raw(message.toBytes()).toByteArray();
    }

    /** The state in {@code bytes}, or empty if it is not one this version reads. */
    public static Optional<UploadState> decode(byte[] bytes) {
        try {
            var in = BinaryReader.of(bytes, "upload state", (w, d) -> new IllegalArgumentException(w + ": " + d));
            if (in.u8() != VERSION) {
                return Optional.empty();
            }
            var s = new UploadState(new FileId(in.u64(), in.u64()), in.fixed(FileStream.KEY), in.fixed(FileStream.HEADER),
                    in.u64(), in.fixed(32), MessageId.fromBytes(in.fixed(16)));
            in.end();
            return Optional.of(s);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether this state is for a file of {@code size} bytes with this content hash. */
    public boolean matches(long size, byte[] sha256) {
        return this.size == size && MessageDigest.isEqual(this.sha256, sha256);
    }

    @Override
    public String toString() {
        return "UploadState[" + blob + ", " + size + " bytes, key=<redacted>]";
    }
}
