package crumbhub.client.files;

import crumbhub.client.net.ClientSession;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.file.FileStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A download (docs/client.md "Files"): the blob is opened and checked as it arrives into a
 * temporary file ({@code .crumbhub-*.part}, 0600) in the target directory, forced to disk, and
 * only then moved to its safe name ({@link SafeName}); any failure deletes the temporary file, so
 * nothing unchecked is ever left under a name a user would open.
 */
public final class Downloads {
    private Downloads() {}

    /** Downloads {@code offer} into {@code dir}; returns where the file went. Blocks. */
    public static Path fetch(ClientSession session, FileOffer offer, Path dir, Transfers.Progress progress)
            throws CryptoException, IOException {
        Path temp = Files.createTempFile(dir, ".crumbhub-", ".part");
        boolean placed = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var sink = new SealedSink(offer.key(), offer.size(), out);
                Transfers.download(session, offer.blob(), FileStream.sealedLength(offer.size()), sink, progress);
                sink.finish(offer.sha256());
                out.force(true);
            }
            Path target = SafeName.place(temp, dir, offer.name());
            placed = true;
            return target;
        } finally {
            if (!placed) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
