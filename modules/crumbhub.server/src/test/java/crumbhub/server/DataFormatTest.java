package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.store.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data directory formats: a new directory, an old one (a real fixture) upgraded, a newer one refused. */
class DataFormatTest {
    @TempDir
    Path tmp;

    static ServerOptions options(Path data) {
        return ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).passwordIterations(1_000)
                .loopThreads(1).hashThreads(1).build();
    }

    /**
     * Copies the format-1 fixture (written by the 0.1.0 server before FORMAT files) to {@code to},
     * with the modes that server gave a data directory it created and its key: 0700 and 0600.
     */
    static void copyFixture(Path to) throws IOException {
        Path from = Path.of("src/test/resources/fixtures/data-format-1");
        Files.createDirectories(to, OwnerOnly.DIR);
        Files.createDirectories(to.resolve("store"));
        Files.copy(from.resolve("server.key"), to.resolve("server.key"));
        Files.setPosixFilePermissions(to.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(from.resolve("store"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve("store").resolve(f.getFileName()));
            }
        }
    }

    @Test
    void aNewDataDirectoryRecordsTheCurrentFormat() throws Exception {
        Path data = tmp.resolve("new");
        try (Server s = Server.start(options(data))) {
            assertThat(DataFormat.read(data)).isEqualTo(DataFormat.CURRENT);
        }
        assertThat(Files.readString(data.resolve("FORMAT"))).contains("format=2", "written_by=");
    }

    @Test
    void aFormatOneDirectoryIsUpgradedKeepingItsUsersRoomsAndMessages() throws Exception {
        Path data = tmp.resolve("old");
        copyFixture(data);
        assertThat(DataFormat.read(data)).isEqualTo(1);
        try (Server s = Server.start(options(data))) {
            assertThat(DataFormat.read(data)).isEqualTo(DataFormat.CURRENT);
            assertThat(s.admin().users().get(10, TimeUnit.SECONDS)).extracting(l -> l.split("\t")[0])
                    .containsExactly("alice", "bob");
            assertThat(s.admin().stats().get(10, TimeUnit.SECONDS).messages()).isEqualTo(2);
            assertThat(SnapshotCodec.decode(s.admin().snapshot().get(10, TimeUnit.SECONDS)).roomsOf(
                    SnapshotCodec.decode(s.admin().snapshot().get(10, TimeUnit.SECONDS)).user("bob")))
                    .containsExactly("old");
        }
        try (Server again = Server.start(options(data))) {
            assertThat(again.admin().stats().get(10, TimeUnit.SECONDS).users()).isEqualTo(2);
        }
    }

    @Test
    void aNewerDataDirectoryIsRefusedWithAClearSentence() throws Exception {
        Path data = tmp.resolve("newer");
        copyFixture(data);
        Files.writeString(data.resolve("FORMAT"), "format=3\nwritten_by=9.0.0\n");
        assertThatThrownBy(() -> Server.start(options(data)))
                .isInstanceOf(StartupException.class)
                .hasMessage("the data directory " + data + " has format 3, written by a newer crumbhub-server; this one ("
                        + Version.current() + ") reads formats up to 2: run the newer crumbhub-server, or restore a"
                        + " backup made by this version");
        assertThat(Files.readString(data.resolve("FORMAT"))).contains("format=3");
    }

    @Test
    void aStoreSegmentOfANewerVersionIsRefusedAsNewerNotAsCorrupt() throws Exception {
        Path data = tmp.resolve("newer-store");
        copyFixture(data);
        Path seg = data.resolve("store/log-00000000000000000000.seg");
        byte[] bytes = Files.readAllBytes(seg);
        ByteBuffer.wrap(bytes).putInt(8, 2);
        var crc = new CRC32C();
        crc.update(bytes, 0, 20);
        ByteBuffer.wrap(bytes).putInt(20, (int) crc.getValue());
        Files.write(seg, bytes);
        assertThatThrownBy(() -> Server.start(options(data)))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("the store in " + data + " was written by a newer crumbhub-server (segment format 2;")
                .hasMessageEndingWith("run the newer crumbhub-server, or restore a backup made by this version");
        assertThat(List.of(bytes.length)).isEqualTo(List.of((int) Files.size(seg)));
    }
}
