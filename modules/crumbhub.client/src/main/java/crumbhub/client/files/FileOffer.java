package crumbhub.client.files;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.file.FileStream;
import crumbhub.wire.FileId;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The end-to-end message that hands a file over (docs/client.md "Files"): the blob's id on the
 * server, the file's key, the SHA-256 of its content, its name, size and media type. It travels as
 * the text of an ordinary end-to-end message, marked like an action, so it is padded, recorded in
 * the history and de-duplicated like any message and never seen by the server:
 *
 * <pre>
 *   text  = U+0001 "FILE " base64url(offer, no padding) U+0001
 *   offer = u8 type (16), id16 blob, 32 bytes key, 32 bytes sha256, u64 size, str8 mime, str16 name
 * </pre>
 *
 * The type byte is the files range of the client's envelope types (16), so a future envelope of
 * its own can keep the encoding. {@link #toString} never shows the key.
 */
public record FileOffer(FileId blob, byte[] key, byte[] sha256, long size, String mime, String name) {
    public static final int TYPE = 16;
    private static final String PREFIX = "\u0001FILE ";
    private static final char END = '\u0001';
    /** Longest name kept, in UTF-8 bytes: a file system's name limit. */
    public static final int MAX_NAME = 255;

    public FileOffer {
        if (key.length != FileStream.KEY || sha256.length != 32 || size < 0) {
            throw new IllegalArgumentException("malformed file offer");
        }
        key = key.clone();
        sha256 = sha256.clone();
    }

    /** The text handed to the sealer. */
    public String encode() {
        var w = BinaryWriter.growable(128).u8(TYPE).u64(blob.high()).u64(blob.low()).raw(key).raw(sha256).u64(size)
                .str8(mime).str16(name);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(w.toByteArray()) + END;
    }

    /** The offer a message's text carries, or empty for any other text (or a malformed offer). */
    public static Optional<FileOffer> decode(String text) {
        if (!text.startsWith(PREFIX) || text.charAt(text.length() - 1) != END) {
            return Optional.empty();
        }
        try {
            byte[] b = Base64.getUrlDecoder().decode(text.substring(PREFIX.length(), text.length() - 1));
            var in = BinaryReader.of(b, "file offer", (w, d) -> new IllegalArgumentException(w + ": " + d));
            if (in.u8() != TYPE) {
                return Optional.empty();
            }
            var offer = new FileOffer(new FileId(in.u64(), in.u64()), in.fixed(32), in.fixed(32), in.u64(), in.str8(),
                    in.str16());
            in.end();
            return Optional.of(offer);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileOffer f && blob.equals(f.blob) && Arrays.equals(key, f.key)
                && Arrays.equals(sha256, f.sha256) && size == f.size && mime.equals(f.mime) && name.equals(f.name);
    }

    @Override
    public int hashCode() {
        return blob.hashCode();
    }

    @Override
    public String toString() {
        return "FileOffer[" + blob + ", " + size + " bytes, key=<redacted>]";
    }
}
