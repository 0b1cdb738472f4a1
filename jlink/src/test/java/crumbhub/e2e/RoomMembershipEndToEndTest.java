package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed room membership through the image (docs/crypto.md "Room membership"): the contract's room
 * commands sign each change, other members are shown every change as an event, a removed member
 * receives nothing sent after, and the signed log survives a server restart (its store).
 */
class RoomMembershipEndToEndTest {

    @Test
    void inviteJoinAndKickAreSignedShownAndSurviveARestart(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        ClientHome carol = new ClientHome("carol", tmp.resolve("carol"));
        int port;
        try (ServerProcess server = ServerProcess.start(data, 0)) {
            port = server.port;
            for (ClientHome h : List.of(alice, bob, carol)) {
                h.register(server, h.user + " password 1");
            }
            assertThat(alice.ok("room", "create", "#ops").stdout()).contains("created #ops");
            alice.ok("room", "invite", "#ops", "bob");
            bob.ok("room", "join", "#ops");
            alice.ok("room", "invite", "#ops", "carol");
            carol.ok("room", "join", "#ops");
            assertThat(alice.ok("room", "kick", "#ops", "carol").stdout()).contains("removed carol from #ops");
            assertThat(server.terminate()).isZero();
        }
        try (ServerProcess server = ServerProcess.start(data, port)) {
            Image.Result sent = alice.ok("send", "#ops", "after the kick");
            assertThat(sent.stderr()).as("the restarted server's list matches the signed log").doesNotContain("WARNING");
            List<Map<String, Object>> got = bob.listenJson(1, 30);
            assertThat(got).extracting(m -> m.get("type"), m -> m.get("action"), m -> m.get("user"), m -> m.get("text"))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("member", "invite", "carol", "alice invited carol"),
                            org.assertj.core.groups.Tuple.tuple("member", "join", "carol", "carol joined"),
                            org.assertj.core.groups.Tuple.tuple("member", "kick", "carol", "alice removed carol"),
                            org.assertj.core.groups.Tuple.tuple("message", null, null, "after the kick"));
            assertThat(carol.listenJson(1, 2)).isEmpty();
            assertThat(bob.ok("room", "members", "#ops").stdout()).contains("alice").contains("bob").doesNotContain("carol");
        }
    }
}
