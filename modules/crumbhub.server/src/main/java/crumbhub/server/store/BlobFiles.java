package crumbhub.server.store;

import crumbhub.wire.FileId;
import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The files of {@link FileBlobs} under {@value #DIR}/ of the data directory: one {@code .meta},
 * and a {@code .part} or a {@code .blob}, per blob, named by its id in hex. Blocking file I/O, on
 * the file thread (or at start, or in a stopped server's backup and restore).
 */
final class BlobFiles {
    static final String DIR = "files";
    static final String META = ".meta";
    static final String PART = ".part";
    static final String BLOB = ".blob";
    private static final int META_VERSION = 1;
    private static final Log LOG = Log.get("crumbhub.server.store");
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("([0-9a-f]{32})\\.(meta|part|blob)");

    private final Path root;

    private BlobFiles(Path root) {
        this.root = root;
    }

    static BlobFiles open(Path dataDir) throws IOException {
        Path root = dataDir.resolve(DIR);
        OwnerOnly.createDirectories(root);
        return new BlobFiles(root);
    }

    private Path path(FileId id, String suffix) {
        return root.resolve(id + suffix);
    }

    /** Indexes every blob; deletes parts and blobs without a readable .meta. */
    void load(BiConsumer<FileId, FileBlobs.Blob> sink) throws IOException {
        List<Path> entries;
        try (var list = Files.list(root)) {
            entries = list.sorted().toList();
        }
        for (Path f : entries) {
            var m = NAME.matcher(f.getFileName().toString());
            if (!m.matches()) {
                LOG.warn("file_entry_ignored", "path", f, "reason", "not a blob file");
                continue;
            }
            FileId id = FileId.parse(m.group(1));
            if (!m.group(2).equals("meta")) {
                if (!Files.exists(path(id, META), LinkOption.NOFOLLOW_LINKS)) {
                    LOG.warn("file_orphan_deleted", "file", id);
                    Files.delete(f);
                }
                continue;
            }
            FileBlobs.Blob blob = readMeta(f);
            if (blob == null) {
                LOG.warn("file_meta_damaged", "file", id);
                delete(id);
                continue;
            }
            if (Files.exists(path(id, BLOB), LinkOption.NOFOLLOW_LINKS)
                    && Files.size(path(id, BLOB)) == blob.length) {
                blob.finished = true;
                blob.stored = blob.length;
                Files.deleteIfExists(path(id, PART));
            } else {
                Files.deleteIfExists(path(id, BLOB));
                Path part = path(id, PART);
                long size = Files.exists(part, LinkOption.NOFOLLOW_LINKS) ? Files.size(part) : 0;
                blob.stored = Math.min(size, blob.length);
            }
            sink.accept(id, blob);
        }
    }

    private static FileBlobs.Blob readMeta(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (b.length < 18 || b[0] != META_VERSION || b.length != 18 + (b[17] & 0xFF)) {
            return null;
        }
        var buf = ByteBuffer.wrap(b, 1, 16);
        long length = buf.getLong();
        long created = buf.getLong();
        String owner = new String(b, 18, b.length - 18, StandardCharsets.UTF_8);
        return length < 0 || owner.isEmpty() ? null : new FileBlobs.Blob(owner, length, created);
    }

    /** Writes a new blob's .meta and empty .part, both forced with their directory entry. */
    void create(FileId id, FileBlobs.Blob b) throws IOException {
        byte[] owner = b.owner.getBytes(StandardCharsets.UTF_8);
        var meta = ByteBuffer.allocate(18 + owner.length).put((byte) META_VERSION).putLong(b.length)
                .putLong(b.createdMs).put((byte) owner.length).put(owner);
        OwnerOnly.writeNew(path(id, PART), new byte[0]);
        OwnerOnly.writeNew(path(id, META), meta.array());
        forceDirectory(root);
    }

    FileChannel openPart(FileId id) throws IOException {
        return FileChannel.open(path(id, PART), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Renames the (forced) .part to .blob and forces the directory. */
    void finish(FileId id) throws IOException {
        Files.move(path(id, PART), path(id, BLOB), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(root);
    }

    byte[] read(FileId id, long offset, int n) throws IOException {
        var buf = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(path(id, BLOB), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("blob " + id + " is shorter than its length");
                }
            }
        }
        return buf.array();
    }

    void delete(FileId id) throws IOException {
        Files.deleteIfExists(path(id, BLOB));
        Files.deleteIfExists(path(id, PART));
        Files.deleteIfExists(path(id, META));
    }

    /** The .meta and .blob files of finished blobs under {@code dataDir}, in name order. */
    static List<Path> finishedFiles(Path dataDir) throws IOException {
        Path root = dataDir.resolve(DIR);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        var out = new ArrayList<Path>();
        try (var list = Files.list(root)) {
            for (Path f : list.sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(BLOB)) {
                    out.add(f);
                } else if (name.endsWith(META) && Files.exists(root.resolve(name.replace(META, BLOB)))) {
                    out.add(f);
                }
            }
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    /** Copies the finished blobs of {@code fromData} into {@code toData} (new files 0600, streamed, forced). */
    static void copyFinished(Path fromData, Path toData) throws IOException {
        List<Path> files = finishedFiles(fromData);
        if (files.isEmpty()) {
            return;
        }
        Path to = toData.resolve(DIR);
        OwnerOnly.createDirectories(to);
        for (Path f : files) {
            Path target = to.resolve(f.getFileName().toString());
            try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                 FileChannel out = FileChannel.open(target, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                         StandardOpenOption.WRITE), OwnerOnly.FILE)) {
                long size = in.size();
                for (long pos = 0; pos < size; ) {
                    pos += in.transferTo(pos, size - pos, out);
                }
                out.force(true);
            }
        }
        forceDirectory(to);
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
