package crumbhub.server;

import static crumbhub.server.TestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.store.Faults;
import crumbhub.server.store.StoreOptions;
import crumbhub.testkit.Await;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole server on a disk that fills up and a force that fails, through the store's
 * fault-injecting opener: new messages get {@code storage} and no ack, everything stored is
 * still served, the server does not stop, and it recovers by itself when space returns.
 */
class DiskFullTest {
    private static EventLoopGroup clientLoops;

    @TempDir
    Path data;
    private final Faults faults = new Faults();
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
        faults.writeBudget.set(Long.MAX_VALUE);
        faults.failForce = false;
        if (server != null) {
            server.close();
        }
    }

    private void start() throws StartupException {
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).throttle(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        server = Server.start(options, StoreOptions.defaults().withOpener(faults.opener()));
    }

    private TestClient connect() throws Exception {
        var c = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
        clients.add(c);
        return c;
    }

    private Frame send(TestClient c, MessageId id, String text) throws Exception {
        return c.call(r -> new MessageFrame.Send(r, TargetKind.ROOM, "ops", id, 0, TestClient.bytes(text)));
    }

    @Test
    void aFullDiskRefusesNewMessagesKeepsServingStoredOnesAndRecoversByItself() throws Exception {
        start();
        var alice = connect().register("alice", "password-a");
        var bob = connect().register("bob", "password-b");
        alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
        alice.call(id -> new RoomFrame.RoomInvite(id, "ops", "bob"), ControlFrame.Ok.class);
        bob.call(id -> new RoomFrame.RoomJoin(id, "ops"), ControlFrame.Ok.class);
        alice.send(TargetKind.ROOM, "ops", "before the disk filled");
        AuthFrame.AuthOk bobAuth = bob.auth;
        var bobKey = bob.key;
        bob.close();

        faults.writeBudget.set(0);
        var refusedId = MessageId.random(TestClient.RANDOM);
        var refused = (ControlFrame.Error) send(alice, refusedId, "no room on disk");
        assertThat(refused.errorCode()).contains(ErrorCode.STORAGE);
        assertThat(refused.message()).contains("could not store");
        assertThat(connect().error(id -> new AuthFrame.Register(id, "carol", TestClient.bytes("password"), "", "d")))
                .as("a registration writes too").isEqualTo(ErrorCode.STORAGE);

        // reads go on: a device resumes, syncs what is stored and lists its rooms
        var bob2 = new TestClient(server.address(), clientLoops.next(), bobKey);
        clients.add(bob2);
        bob2.resume(bobAuth);
        assertThat(bob2.sync()).extracting(TestClient::text).containsExactly("before the disk filled");
        assertThat(bob2.call(RoomFrame.RoomList::new, RoomFrame.RoomListReply.class).rooms()).hasSize(1);
        assertThat(server.stopped()).isNotDone();

        // a failing fsync is the same story
        faults.writeBudget.set(Long.MAX_VALUE);
        long failedBefore = faults.failedForces();
        faults.failForce = true;
        Await.until(() -> faults.failedForces() > failedBefore, "a probe failing against the failing force");
        assertThat(((ControlFrame.Error) send(alice, MessageId.random(TestClient.RANDOM), "fsync fails"))
                .errorCode()).contains(ErrorCode.STORAGE);

        faults.failForce = false;
        Frame ok = awaitAccepted(alice, refusedId, "no room on disk");
        assertThat(text(bob2.nextPush())).isEqualTo("no room on disk");
        assertThat(((MessageFrame.SendOk) send(alice, refusedId, "no room on disk")).seq())
                .as("the retry is stored once").isEqualTo(((MessageFrame.SendOk) ok).seq());
        assertThat(bob2.pushes.poll(200, TimeUnit.MILLISECONDS)).isNull();

        // a restart recovers exactly what was acknowledged
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();
        start();
        var bob3 = new TestClient(server.address(), clientLoops.next(), bobKey);
        clients.add(bob3);
        bob3.resume(bobAuth);
        assertThat(bob3.sync()).extracting(TestClient::text)
                .containsExactly("before the disk filled", "no room on disk");
    }

    /** Retries a send until the recovered store accepts it (the server probes the disk every second). */
    private Frame awaitAccepted(TestClient c, MessageId id, String text) {
        return Await.value(() -> {
            Frame f;
            try {
                f = send(c, id, text);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (f instanceof MessageFrame.SendOk) {
                return Optional.of(f);
            }
            assertThat(((ControlFrame.Error) f).errorCode()).contains(ErrorCode.STORAGE);
            return Optional.empty();
        }, Duration.ofSeconds(15), "the recovered store accepting " + text);
    }
}
