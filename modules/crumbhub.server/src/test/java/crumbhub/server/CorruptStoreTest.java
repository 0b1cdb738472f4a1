package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record corrupted in the middle of a segment stops the start with one line naming file and offset. */
class CorruptStoreTest {
    @TempDir
    Path data;

    @Test
    void aBadRecordInTheMiddleOfASegmentIsReportedWithFileAndOffsetAndNothingIsSkipped() throws Exception {
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).build();
        try (var loops = new EventLoopGroup("test-client", 1); var server = Server.start(options)) {
            try (var alice = new TestClient(server.address(), loops.next(), TestClient.newKey())) {
                alice.register("alice", "password");
                for (int i = 0; i < 10; i++) {
                    alice.send(TargetKind.DIRECT, "alice", "note " + i);
                }
            }
        }
        Path segment;
        try (var files = Files.list(data.resolve(Persistence.STORE_DIR))) {
            segment = files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList().getLast();
        }
        long offset = recordOffset(segment, 4);
        flipByte(segment, offset + 12);

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--data", data.toString(), "--listen", "127.0.0.1:0"}, Map.of(),
                new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(1);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).startsWith("crumbhub-server: ").contains(segment.getFileName().toString())
                .contains("offset " + offset).contains("CRC");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
    }

    /** Byte offset of the record with this index in a segment (24-byte header, then u32 length, u32 CRC, payload). */
    private static long recordOffset(Path segment, int index) throws Exception {
        try (var ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long at = 24;
            var len = ByteBuffer.allocate(4);
            for (int i = 0; i < index; i++) {
                len.clear();
                ch.read(len, at);
                at += 8 + len.flip().getInt();
            }
            return at;
        }
    }

    private static void flipByte(Path file, long at) throws Exception {
        try (var ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, at);
        }
    }

}
