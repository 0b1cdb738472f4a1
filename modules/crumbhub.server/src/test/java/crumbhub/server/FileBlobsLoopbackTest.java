package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminResponse;
import crumbhub.server.config.FileLimits;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.Await;
import crumbhub.testkit.ManualTime;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.FileFrame;
import crumbhub.wire.FileId;
import crumbhub.wire.Limits;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file blob store (docs/protocol.md §10, docs/server.md "Files") on a real server on
 * 127.0.0.1:0 with real wire clients: resumable uploads, downloads by another user, quotas and
 * the size limit, hostile appends, expiry on the server's clock, restarts, and server backups.
 */
class FileBlobsLoopbackTest {
    private static EventLoopGroup clientLoops;

    @TempDir
    Path data;
    @TempDir
    Path tmp;
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

    private ServerOptions.Builder options() {
        return ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).throttle(Duration.ofMillis(150), Duration.ofMillis(600));
    }

    private TestClient connect() throws Exception {
        var c = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
        clients.add(c);
        return c;
    }

    private static byte[] blob(int n, long seed) {
        var b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static FileFrame.FileStatus begin(TestClient c, long length) throws Exception {
        return c.call(id -> new FileFrame.FileBegin(id, length), FileFrame.FileStatus.class);
    }

    private static void append(TestClient c, FileId file, byte[] all, int from, int to) throws Exception {
        for (int off = from; off < to; off += Limits.FILE_CHUNK) {
            int o = off;
            byte[] chunk = Arrays.copyOfRange(all, off, Math.min(to, off + Limits.FILE_CHUNK));
            c.call(id -> new FileFrame.FileAppend(id, file, o, chunk), ControlFrame.Ok.class);
        }
    }

    private static byte[] download(TestClient c, FileId file) throws Exception {
        var out = new ByteArrayOutputStream();
        long length;
        do {
            long off = out.size();
            var d = c.call(id -> new FileFrame.FileRead(id, file, off, Limits.FILE_CHUNK), FileFrame.FileData.class);
            assertThat(d.offset()).isEqualTo(off);
            out.writeBytes(d.data());
            length = d.length();
        } while (out.size() < length);
        return out.toByteArray();
    }

    @Test
    void anUploadResumesOnANewConnectionFinishesDurablyAndAnotherUserDownloadsIt() throws Exception {
        server = Server.start(options().build());
        var alice = connect().register("alice", "correct horse");
        var bob = connect().register("bob", "battery staple");
        byte[] content = blob(200_000, 1);
        var started = begin(alice, content.length);
        assertThat(started.length()).isEqualTo(content.length);
        assertThat(started.stored()).isZero();
        FileId file = started.file();
        append(alice, file, content, 0, 120_000);

        alice.close();
        var again = connect().login("alice", "correct horse");
        var status = again.call(id -> new FileFrame.FileQuery(id, file), FileFrame.FileStatus.class);
        assertThat(status.stored()).isEqualTo(120_000);
        assertThat(status.finished()).isFalse();
        assertThat(again.error(id -> new FileFrame.FileFinish(id, file))).isEqualTo(ErrorCode.WRONG_STATE);
        assertThat(bob.error(id -> new FileFrame.FileRead(id, file, 0, 100))).isEqualTo(ErrorCode.NOT_FOUND);
        append(again, file, content, 100_000, content.length);  // overlaps what is stored: a retry
        var done = again.call(id -> new FileFrame.FileFinish(id, file), FileFrame.FileStatus.class);
        assertThat(done.finished()).isTrue();
        assertThat(done.stored()).isEqualTo(content.length);

        assertThat(download(bob, file)).isEqualTo(content);
        assertThat(Files.readAllBytes(data.resolve("files").resolve(file + ".blob"))).isEqualTo(content);
        assertThat(bob.error(id -> new FileFrame.FileQuery(id, file))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void hostileAppendsAreRefusedAndChatOnTheSameConnectionKeepsWorking() throws Exception {
        server = Server.start(options().build());
        var alice = connect().register("alice", "correct horse");
        var mallory = connect().register("mallory", "not a password");
        FileId file = begin(alice, 100_000).file();
        append(alice, file, blob(100_000, 2), 0, 60_000);
        assertThat(mallory.error(id -> new FileFrame.FileAppend(id, file, 60_000, new byte[10])))
                .as("another user's upload").isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(alice.error(id -> new FileFrame.FileAppend(id, file, 70_000, new byte[10])))
                .as("a gap").isEqualTo(ErrorCode.WRONG_STATE);
        assertThat(alice.error(id -> new FileFrame.FileAppend(id, file, 60_000, new byte[Limits.FILE_CHUNK])))
                .as("past the declared length").isEqualTo(ErrorCode.WRONG_STATE);
        assertThat(alice.error(id -> new FileFrame.FileAppend(id, file, -5, new byte[10])))
                .as("a negative offset").isEqualTo(ErrorCode.WRONG_STATE);
        assertThat(alice.error(id -> new FileFrame.FileAppend(id, new FileId(1, 2), 0, new byte[10])))
                .as("an id never given out").isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(alice.call(id -> new FileFrame.FileQuery(id, file), FileFrame.FileStatus.class).stored())
                .isEqualTo(60_000);
        assertThat(alice.error(id -> new FileFrame.FileStatus(id, file, 1, 1, true))).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(alice.send(TargetKind.DIRECT, "mallory", "still here")).isInstanceOf(MessageFrame.SendOk.class);
    }

    @Test
    void theSizeLimitAndTheUserAndServerQuotasRefuseWithClearErrors() throws Exception {
        server = Server.start(options().files(new FileLimits(100_000, 150_000, 250_000, Duration.ofDays(30),
                Duration.ofHours(24))).build());
        var alice = connect().register("alice", "correct horse");
        var bob = connect().register("bob", "battery staple");
        var carol = connect().register("carol", "carol's password");
        var tooLarge = alice.call(id -> new FileFrame.FileBegin(id, 100_001), ControlFrame.Error.class);
        assertThat(tooLarge.errorCode()).contains(ErrorCode.TOO_LARGE);
        assertThat(tooLarge.message()).contains("limits.files.max.bytes");
        begin(alice, 100_000);
        var userQuota = alice.call(id -> new FileFrame.FileBegin(id, 60_000), ControlFrame.Error.class);
        assertThat(userQuota.errorCode()).contains(ErrorCode.QUOTA);
        assertThat(userQuota.message()).contains("quota.files.user.bytes");
        begin(bob, 100_000);
        var serverQuota = carol.call(id -> new FileFrame.FileBegin(id, 60_000), ControlFrame.Error.class);
        assertThat(serverQuota.errorCode()).contains(ErrorCode.QUOTA);
        assertThat(serverQuota.message()).contains("quota.files.server.bytes");
        begin(carol, 50_000);
    }

    @Test
    void staleUploadsAndExpiredBlobsAreDeletedOnTheServersClock() throws Exception {
        var time = new ManualTime();
        server = Server.start(options().clock(time.clock()).ticks(time::nanoTime).build());
        TestClient alice = connect().register("alice", "correct horse");
        FileId stale = begin(alice, 1000).file();
        append(alice, stale, blob(1000, 3), 0, 500);
        FileId kept = begin(alice, 1000).file();
        append(alice, kept, blob(1000, 4), 0, 1000);
        var first = alice;
        first.call(id -> new FileFrame.FileFinish(id, kept), FileFrame.FileStatus.class);

        time.advance(Duration.ofHours(25));
        server.runDueTimers();
        Await.until(() -> !Files.exists(data.resolve("files").resolve(stale + ".part")), "the stale upload deleted");
        alice = connect().login("alice", "correct horse"); // the idle timeout closed the first connection
        assertThat(alice.error(id -> new FileFrame.FileQuery(id, stale))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(download(alice, kept)).isEqualTo(blob(1000, 4));

        time.advance(Duration.ofDays(30));
        server.runDueTimers();
        Await.until(() -> !Files.exists(data.resolve("files").resolve(kept + ".blob")), "the expired blob deleted");
        alice = connect().login("alice", "correct horse");
        assertThat(alice.error(id -> new FileFrame.FileRead(id, kept, 0, 10))).isEqualTo(ErrorCode.NOT_FOUND);
        try (var left = Files.list(data.resolve("files"))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void blobsAndUnfinishedUploadsSurviveARestartAndFinishedOnesAServerBackup() throws Exception {
        server = Server.start(options().build());
        var alice = connect().register("alice", "correct horse");
        byte[] content = blob(130_000, 5);
        FileId done = begin(alice, content.length).file();
        append(alice, done, content, 0, content.length);
        alice.call(id -> new FileFrame.FileFinish(id, done), FileFrame.FileStatus.class);
        FileId half = begin(alice, 1000).file();
        append(alice, half, blob(1000, 6), 0, 400);
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();

        server = Server.start(options().build());
        alice = connect().login("alice", "correct horse");
        var a = alice;
        assertThat(alice.call(id -> new FileFrame.FileQuery(id, half), FileFrame.FileStatus.class).stored()).isEqualTo(400);
        assertThat(download(alice, done)).isEqualTo(content);

        Path backup = tmp.resolve("backup");
        AdminResponse r = AdminClient.call(data, new AdminRequest.Backup(backup), l -> { });
        assertThat(r.ok()).as(r.error()).isTrue();
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();
        server = null;
        Path fresh = tmp.resolve("fresh");
        Backups.restore(fresh, backup, false, l -> { });
        server = Server.start(options().dataDir(fresh).build());
        var restored = connect().login("alice", "correct horse");
        assertThat(download(restored, done)).isEqualTo(content);
        assertThat(restored.error(id -> new FileFrame.FileQuery(id, half))).as("unfinished uploads are not backed up")
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(a).isNotNull();
    }
}
