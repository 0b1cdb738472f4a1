package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.ManualTime;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free-disk watermark on a whole server (docs/operations.md "Disk"): below it new messages,
 * rooms and invitations get {@code storage} while resume, sync, acks, listings and leaving go on;
 * {@code /health} says {@code degraded: disk pressure}; above it again writes are accepted. The
 * free space comes from a probe the test sets, read at most once a second of the server's
 * hand-moved clock.
 */
class DiskWatermarkTest {
    private static EventLoopGroup clientLoops;

    @TempDir
    Path data;
    private final AtomicLong free = new AtomicLong(10L << 30);
    private final ManualTime time = new ManualTime();
    private Server server;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void loops() {
        clientLoops = new EventLoopGroup("test-client", 1);
    }

    @AfterAll
    static void stopLoops() {
        clientLoops.close();
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (server != null) {
            server.close();
        }
    }

    private void start(long minFree, ServerOptions.FreeSpace probe) throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).metrics(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(50), Duration.ofMillis(200))
                .clock(time.clock()).ticks(time::nanoTime)
                .minFreeDisk(minFree).freeSpace(probe).build());
    }

    private TestClient connect() throws Exception {
        var c = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
        clients.add(c);
        return c;
    }

    private void freeBecomes(long bytes) {
        free.set(bytes);
        time.advance(Duration.ofSeconds(1));
    }

    private String get(String path) throws IOException {
        InetSocketAddress a = server.metricsAddress();
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void belowTheWatermarkWritesAreRefusedWhileReadsSyncAndAcksGoOn() throws Exception {
        start(1L << 30, dir -> free.get());
        var alice = connect().register("alice", "password-a");
        var bob = connect().register("bob", "password-b");
        alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
        alice.call(id -> new RoomFrame.RoomInvite(id, "ops", "bob"), ControlFrame.Ok.class);
        bob.call(id -> new RoomFrame.RoomJoin(id, "ops"), ControlFrame.Ok.class);
        alice.send(TargetKind.ROOM, "ops", "before the disk filled");
        alice.call(id -> new RoomFrame.RoomCreate(id, "spare"), ControlFrame.Ok.class);
        assertThat(get("/health")).endsWith("\r\n\r\nok\n");

        freeBecomes(100L << 20);
        var refused = alice.call(id -> new MessageFrame.Send(id, TargetKind.ROOM, "ops", MessageId.random(TestClient.RANDOM),
                0, TestClient.bytes("no room on disk")), ControlFrame.Error.class);
        assertThat(refused.errorCode()).contains(ErrorCode.STORAGE);
        assertThat(refused.message()).isEqualTo("the server's disk is nearly full (100 MiB free, it keeps 1 GiB); "
                + "new messages are refused until space is freed");
        assertThat(alice.error(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob",
                MessageId.random(TestClient.RANDOM), 0, TestClient.bytes("nor here")))).isEqualTo(ErrorCode.STORAGE);
        assertThat(alice.error(id -> new RoomFrame.RoomCreate(id, "new"))).isEqualTo(ErrorCode.STORAGE);
        assertThat(alice.error(id -> new RoomFrame.RoomInvite(id, "spare", "bob"))).isEqualTo(ErrorCode.STORAGE);

        // reads, sync, acks and leaving go on
        var synced = bob.sync();
        assertThat(synced).extracting(TestClient::text).containsExactly("before the disk filled");
        bob.ack(synced.getLast().seq());
        assertThat(bob.call(RoomFrame.RoomList::new, RoomFrame.RoomListReply.class).rooms()).hasSize(1);
        var bobAgain = new TestClient(server.address(), clientLoops.next(), bob.key);
        clients.add(bobAgain);
        bobAgain.resume(bob.auth);
        alice.call(id -> new RoomFrame.RoomLeave(id, "spare"), ControlFrame.Ok.class);

        String health = get("/health");
        assertThat(health).startsWith("HTTP/1.0 503").endsWith("\r\n\r\ndegraded: disk pressure: 100 MiB free, below "
                + "the 1 GiB watermark; new messages are refused\n");
        assertThat(get("/metrics")).contains("crumbhub_disk_low 1\n", "crumbhub_disk_free_bytes 104857600\n",
                "crumbhub_disk_min_free_bytes 1073741824\n");

        freeBecomes(2L << 30);
        alice.send(TargetKind.ROOM, "ops", "space again");
        assertThat(TestClient.text(bob.nextPush())).isEqualTo("space again");
        assertThat(get("/health")).endsWith("\r\n\r\nok\n");
        assertThat(get("/metrics")).contains("crumbhub_disk_low 0\n");
    }

    @Test
    void theFileSystemsOwnCountIsUsedByDefault() throws Exception {
        // a watermark above what any test machine has free
        start(1L << 50, ServerOptions.FreeSpace.FILE_SYSTEM);
        var alice = connect().register("alice", "password-a");
        connect().register("bob", "password-b");
        var refused = alice.call(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob",
                MessageId.random(TestClient.RANDOM), 0, TestClient.bytes("hi")), ControlFrame.Error.class);
        assertThat(refused.errorCode()).contains(ErrorCode.STORAGE);
        assertThat(refused.message()).startsWith("the server's disk is nearly full (").contains("it keeps 1024 TiB");
    }
}
