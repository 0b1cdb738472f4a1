package crumbhub.server;

import static crumbhub.server.TestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.ManualTime;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on 127.0.0.1:0 with a temporary data directory, driven by real wire clients. */
class LoopbackTest {
    private static EventLoopGroup clientLoops;

    @TempDir
    Path data;
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

    private Server start(ServerOptions.Builder b) throws StartupException {
        server = Server.start(b.build());
        return server;
    }

    private TestClient connect() throws Exception {
        return connect(TestClient.newKey());
    }

    private TestClient connect(X25519KeyPair key) throws Exception {
        var c = new TestClient(server.address(), clientLoops.next(), key);
        clients.add(c);
        return c;
    }

    @Test
    void registerLoginAndResumeOverNoise() throws Exception {
        start(options());
        var key = TestClient.newKey();
        var first = connect(key).register("Alice", "correct horse");
        assertThat(first.auth.user()).isEqualTo("alice");
        assertThat(Fingerprint.of(first.rpc.serverKey())).isEqualTo(server.fingerprint());
        first.close();
        var second = connect(key).login("alice", "correct horse");
        assertThat(second.auth.deviceId()).isEqualTo(first.auth.deviceId());
        var third = connect(key).resume(second.auth);
        assertThat(third.auth.token()).isEqualTo(second.auth.token());
        var phone = connect().login("alice", "correct horse");
        assertThat(phone.auth.deviceId()).isNotEqualTo(first.auth.deviceId());
        assertThat(connect().error(id -> new AuthFrame.Resume(id, "alice", 1, second.auth.token())))
                .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    }

    @Test
    void roomMessagesAreDeliveredLiveToSyncedMembers() throws Exception {
        start(options());
        var alice = connect().register("alice", "password-a");
        var bob = connect().register("bob", "password-b");
        alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
        alice.call(id -> new RoomFrame.RoomInvite(id, "ops", "bob"), ControlFrame.Ok.class);
        bob.call(id -> new RoomFrame.RoomJoin(id, "ops"), ControlFrame.Ok.class);
        assertThat(bob.sync()).isEmpty();
        var ok = alice.send(TargetKind.ROOM, "ops", "hello room");
        var d = bob.nextPush();
        assertThat(d.seq()).isEqualTo(ok.seq());
        assertThat(d.tsMs()).isEqualTo(ok.tsMs());
        assertThat(d.kind()).isEqualTo(TargetKind.ROOM);
        assertThat(d.target()).isEqualTo("ops");
        assertThat(d.from()).isEqualTo("alice");
        assertThat(text(d)).isEqualTo("hello room");
        var members = bob.call(id -> new RoomFrame.RoomMembers(id, "ops"), RoomFrame.MemberList.class);
        assertThat(members.members()).extracting(m -> m.user()).containsExactly("alice", "bob");
    }

    @Test
    void offlineMessagesArriveOnSyncExactlyOnceAcrossReconnects() throws Exception {
        start(options());
        var alice = connect().register("alice", "password-a");
        var bobKey = TestClient.newKey();
        var bob = connect(bobKey).register("bob", "password-b");
        AuthFrame.AuthOk bobAuth = bob.auth;
        bob.close();
        for (int i = 1; i <= 3; i++) {
            alice.send(TargetKind.DIRECT, "bob", "offline " + i);
        }
        var again = connect(bobKey).resume(bobAuth);
        var got = again.sync();
        assertThat(got).extracting(TestClient::text).containsExactly("offline 1", "offline 2", "offline 3");
        assertThat(got).extracting(MessageFrame.Deliver::target).containsOnly("bob");
        again.ack(got.getLast().seq());
        again.close();
        var third = connect(bobKey).resume(bobAuth);
        assertThat(third.sync()).isEmpty();
        alice.send(TargetKind.DIRECT, "bob", "live now");
        assertThat(text(third.nextPush())).isEqualTo("live now");
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsEverythingAcknowledged() throws Exception {
        start(options());
        String fingerprint = server.fingerprint();
        var alice = connect().register("alice", "password-a");
        var bobKey = TestClient.newKey();
        var bob = connect(bobKey).register("bob", "password-b");
        alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
        var msgId = MessageId.random(TestClient.RANDOM);
        var sent = alice.send(TargetKind.DIRECT, "bob", msgId, "survives restarts");
        AuthFrame.AuthOk aliceAuth = alice.auth;
        AuthFrame.AuthOk bobAuth = bob.auth;
        var aliceKey = alice.key;
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();

        start(options());
        assertThat(server.fingerprint()).isEqualTo(fingerprint);
        var bob2 = connect(bobKey).resume(bobAuth);
        var got = bob2.sync();
        assertThat(got).extracting(TestClient::text).containsExactly("survives restarts");
        assertThat(got.getFirst().seq()).isEqualTo(sent.seq());
        var alice2 = connect(aliceKey).resume(aliceAuth);
        var resent = alice2.send(TargetKind.DIRECT, "bob", msgId, "survives restarts");
        assertThat(resent.seq()).isEqualTo(sent.seq());
        assertThat(bob2.pushes.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(alice2.error(id -> new RoomFrame.RoomCreate(id, "ops"))).isEqualTo(ErrorCode.EXISTS);
        var next = alice2.send(TargetKind.DIRECT, "bob", "after restart");
        assertThat(next.seq()).as("a restart skips every seq the lease covered: they may have been pushed and lost")
                .isGreaterThan(sent.seq() + 65_536);
    }

    @Test
    void garbageClosesOnlyThatConnectionAndUnknownFramesAreUnsupported() throws Exception {
        start(options());
        try (var raw = new Socket("127.0.0.1", server.address().getPort())) {
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(new byte[] {0, 3, 1, 2, 3, 0, 0});
            raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
            byte[] buf = new byte[4096];
            int total = 0;
            int n;
            while ((n = raw.getInputStream().read(buf)) >= 0) {
                total += n;
                if (total > 1 << 20) {
                    throw new AssertionError("server keeps talking to garbage");
                }
            }
        }
        var c = connect().register("alice", "password");
        assertThat(c.error(id -> new Frame.Unknown(id, 0x77))).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(c.call(id -> new ControlFrame.Ping(id, 5), ControlFrame.Pong.class).nonce()).isEqualTo(5);
        assertThat(c.error(id -> new AuthFrame.Register(id, "bob", TestClient.bytes("x"), "", "d")))
                .isEqualTo(ErrorCode.WRONG_STATE);
        var fresh = connect();
        assertThat(fresh.error(MessageFrame.Sync::new)).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(fresh.error(id -> new AuthFrame.Register(id, "no way!", TestClient.bytes("x"), "", "d")))
                .isEqualTo(ErrorCode.INVALID_NAME);
    }

    /**
     * The throttle reads the server's wall clock, which this test moves by hand: every address
     * block ends exactly when the doubling schedule (150, 300, 600 ms) says, not a millisecond
     * earlier. (The replies held back by the same delays wait on the core's own clock.)
     */
    @Test
    void failedLoginsAreThrottledWithoutRevealingUsers() throws Exception {
        var time = new ManualTime();
        start(options().clock(time.clock()));
        connect().register("alice", "right password");
        var c = connect();
        var wrong = c.call(id -> new AuthFrame.Login(id, "alice", TestClient.bytes("wrong"), "d"), ControlFrame.Error.class);
        time.advance(Duration.ofMillis(150));
        var unknown = connect().call(id -> new AuthFrame.Login(id, "zed", TestClient.bytes("x"), "d"), ControlFrame.Error.class);
        assertThat(wrong.code()).isEqualTo("bad_credentials").isEqualTo(unknown.code());
        assertThat(wrong.message()).isEqualTo(unknown.message());
        time.advance(Duration.ofMillis(299));
        assertThat(loginError("alice", "right password").code()).as("1 ms before the second block ends").isEqualTo("throttled");
        time.advance(Duration.ofMillis(1));
        var pending = c.rpc.request(id -> new AuthFrame.Login(id, "alice", TestClient.bytes("wrong again"), "d"));
        assertThat(loginError("alice", "right password").code()).isEqualTo("throttled");
        assertThat(((ControlFrame.Error) pending.get(10, TimeUnit.SECONDS)).code()).isEqualTo("bad_credentials");
        time.advance(Duration.ofMillis(599));
        assertThat(loginError("alice", "right password").code()).as("1 ms before the third block ends").isEqualTo("throttled");
        time.advance(Duration.ofMillis(1));
        assertThat(connect().login("alice", "right password").auth.user()).isEqualTo("alice");
    }

    private ControlFrame.Error loginError(String user, String password) throws Exception {
        return connect().call(id -> new AuthFrame.Login(id, user, TestClient.bytes(password), "d"), ControlFrame.Error.class);
    }

    @Test
    void adminCommandsWorkThroughTheSocketAndBansDisconnect() throws Exception {
        start(options().registration(RegistrationMode.INVITE));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        String[] invite = {"--data", data.toString(), "invite", "--uses", "2", "--expires", "1h"};
        assertThat(Main.run(invite, Map.of(), new PrintStream(out), new PrintStream(err))).isZero();
        var printed = out.toString().lines().toList();
        assertThat(printed).as("the code, then its link").hasSize(2);
        String code = printed.get(0);
        assertThat(code).matches("[a-z2-7]{24}");
        var link = crumbhub.wire.InviteLink.parse(printed.get(1));
        assertThat(link.code()).isEqualTo(code);
        assertThat(link.address()).isEqualTo("127.0.0.1:" + server.address().getPort());
        assertThat(link.keyDigest()).isEqualTo(crumbhub.crypto.Fingerprint.parse(server.fingerprint()));
        assertThat(connect().error(id -> new AuthFrame.Register(id, "bob", TestClient.bytes("password"), "", "d")))
                .isEqualTo(ErrorCode.INVITE_INVALID);
        var bob = connect().register("bob", "password", code);
        out.reset();
        assertThat(Main.run(new String[] {"--data", data.toString(), "users"}, Map.of(), new PrintStream(out),
                new PrintStream(err))).isZero();
        assertThat(out.toString()).startsWith("bob\tactive\tdevices=1");
        out.reset();
        assertThat(Main.run(new String[] {"--data", data.toString(), "fingerprint"}, Map.of(), new PrintStream(out),
                new PrintStream(err))).isZero();
        assertThat(out.toString().strip()).isEqualTo(server.fingerprint());
        assertThat(Main.run(new String[] {"--data", data.toString(), "ban", "bob"}, Map.of(), new PrintStream(out),
                new PrintStream(err))).isZero();
        assertThat(bob.rpc.closed().get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(connect().error(id -> new AuthFrame.Login(id, "bob", TestClient.bytes("password"), "d")))
                .isEqualTo(ErrorCode.FORBIDDEN);
        err.reset();
        assertThat(Main.run(new String[] {"--data", data.toString(), "ban", "nobody"}, Map.of(), new PrintStream(out),
                new PrintStream(err))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("crumbhub-server: no such user" + System.lineSeparator());
    }

    @Test
    void backupIsADataDirectoryAServerCanStartFrom(@TempDir Path backups) throws Exception {
        start(options());
        var bobKey = TestClient.newKey();
        var bob = connect(bobKey).register("bob", "password");
        connect().register("alice", "password").send(TargetKind.DIRECT, "bob", "in the backup");
        Path dest = backups.resolve("b1");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"--data", data.toString(), "backup", dest.toString()}, Map.of(),
                new PrintStream(out), new PrintStream(err))).as(err.toString()).isZero();
        AuthFrame.AuthOk bobAuth = bob.auth;
        String fp = server.fingerprint();
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();
        server = Server.start(options().dataDir(dest).build());
        assertThat(server.fingerprint()).isEqualTo(fp);
        assertThat(connect(bobKey).resume(bobAuth).sync()).extracting(TestClient::text).containsExactly("in the backup");
    }

    @Test
    void secondServerOnTheSameDataDirectoryAndBusyPortAreOneLineErrors() throws Exception {
        start(options());
        var e1 = org.assertj.core.api.Assertions.catchThrowableOfType(StartupException.class,
                () -> Server.start(options().build()));
        assertThat(e1.getMessage()).contains("another crumbhub-server is using the data directory");
        var e2 = org.assertj.core.api.Assertions.catchThrowableOfType(StartupException.class,
                () -> Server.start(options().dataDir(data.resolve("other"))
                        .listen(new HostPort("127.0.0.1", server.address().getPort())).build()));
        assertThat(e2.getMessage()).startsWith("cannot listen on 127.0.0.1:" + server.address().getPort());
        assertThat(e2.getMessage()).doesNotContain("\n");
    }

    @Test
    void connectionThatNeverLogsInIsClosedAfterTheAuthTimeout() throws Exception {
        start(options().authTimeout(Duration.ofMillis(300)));
        var idle = connect();
        var reason = idle.rpc.closed().get(5, TimeUnit.SECONDS);
        assertThat(reason).isNotNull();
        var pushed = idle.pushes.poll();
        assertThat(pushed).isInstanceOf(ControlFrame.Error.class);
        assertThat(((ControlFrame.Error) pushed).code()).isEqualTo("unauthorized");
        var quick = connect().register("alice", "password");
        // connected after quick logged in, on the same (only) server loop: its auth timer is due
        // after quick's would have been, and timers there run in deadline order
        var later = connect();
        assertThat(later.rpc.closed().get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(quick.sync()).as("quick still served after its auth timeout passed").isEmpty();
        assertThat(quick.rpc.isOpen()).isTrue();
    }

    @Test
    void snapshotsTakenWhileRunningRestoreTheSameState() throws Exception {
        start(options().snapshotLogBytes(500));
        var bobKey = TestClient.newKey();
        var bob = connect(bobKey).register("bob", "password");
        var alice = connect().register("alice", "password");
        alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
        alice.call(id -> new RoomFrame.RoomInvite(id, "ops", "bob"), ControlFrame.Ok.class);
        bob.call(id -> new RoomFrame.RoomJoin(id, "ops"), ControlFrame.Ok.class);
        for (int i = 0; i < 20; i++) {
            alice.send(TargetKind.ROOM, "ops", "m" + i);
        }
        var early = bob.sync();
        bob.ack(early.get(9).seq());
        AuthFrame.AuthOk bobAuth = bob.auth;
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();
        try (var files = java.nio.file.Files.list(data.resolve("store"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("snap"));
        }
        start(options());
        var again = connect(bobKey).resume(bobAuth);
        assertThat(again.sync()).extracting(TestClient::text)
                .containsExactly("m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
        var members = again.call(id -> new RoomFrame.RoomMembers(id, "ops"), RoomFrame.MemberList.class);
        assertThat(members.members()).hasSize(2);
    }

    @Test
    void adminListsAndRevokesDevices() throws Exception {
        start(options());
        var laptop = connect().register("alice", "password");
        var phone = connect().login("alice", "password");
        var lines = server.admin().devices("alice").get(5, TimeUnit.SECONDS);
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).startsWith(laptop.auth.deviceId() + "\tactive\ttest").endsWith("connections=1");
        assertThat(server.admin().revoke("alice", phone.auth.deviceId()).get(5, TimeUnit.SECONDS)).contains("revoked");
        assertThat(phone.rpc.closed().get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(server.admin().devices("alice").get(5, TimeUnit.SECONDS).get(1)).contains("\trevoked\t");
        var listed = laptop.call(DeviceFrame.Devices::new, DeviceFrame.DeviceList.class);
        assertThat(listed.devices()).singleElement().satisfies(d -> assertThat(d.current()).isTrue());
    }
}
