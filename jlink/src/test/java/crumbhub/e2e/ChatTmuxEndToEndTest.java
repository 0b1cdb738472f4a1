package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/crumbhub-client chat}, full screen inside tmux, against a real server:
 * what a person sees and types.
 */
@Timeout(90)
class ChatTmuxEndToEndTest {
    @TempDir
    Path tmp;

    /** A server with alice and bob, both members of #general (alice owns it). */
    private ServerProcess twoUsersInGeneral(ClientHome alice, ClientHome bob) throws Exception {
        ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0);
        alice.register(server, "alice password 1");
        bob.register(server, "bob password 1");
        alice.ok("room", "create", "#general");
        alice.ok("room", "invite", "#general", "bob");
        bob.ok("room", "join", "#general");
        return server;
    }

    private static String chatCommand(ClientHome who) {
        return Image.bin("crumbhub-client") + " chat --home " + who.home + "; echo \"exit=$?\"";
    }

    /** Starts the chat of {@code who} in a new session and waits until it is connected. */
    private static void openChat(Tmux tmux, String session, ClientHome who, int width, int height) {
        tmux.shell(session, width, height);
        tmux.line(session, chatCommand(who));
        tmux.waitFor(session, "[connected]");
    }

    @Test
    void aMessageTypedByOneUserAppearsInTheOtherUsersChatAndRoomsSwitch() throws Exception {
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = twoUsersInGeneral(alice, bob); Tmux tmux = Tmux.start("talk")) {
            openChat(tmux, "alice", alice, 120, 40);
            openChat(tmux, "bob", bob, 120, 40);
            tmux.line("alice", "/join #general");
            tmux.line("bob", "/join #general");
            tmux.waitFor("bob", "[#general]");

            tmux.line("alice", "hello bob, this is alice ✓");
            String bobSees = tmux.waitFor("bob", "<alice> hello bob, this is alice ✓");
            assertThat(bobSees).contains("[#general (2)]").contains(" #general");
            tmux.waitFor("alice", s -> s.contains("<alice> hello bob, this is alice ✓") && !s.contains("pending"),
                    Tmux.WAIT);

            tmux.line("bob", "/me waves back");
            tmux.waitFor("alice", "* bob waves back");

            // a new room: its window opens and becomes current; the list shows both rooms
            tmux.line("alice", "/join #random");
            String random = tmux.waitFor("alice", "you created #random");
            assertThat(random).contains("[#random]").contains("#general").contains(" #random");
            // back to #general with Ctrl-P (previous conversation), then the status window with Alt-1
            tmux.keys("alice", "C-p");
            tmux.waitFor("alice", s -> s.contains("[#general]") && s.contains("hello bob"), Tmux.WAIT);
            tmux.keys("alice", "M-1");
            tmux.waitFor("alice", s -> s.contains("[status]") && s.contains("connected to"), Tmux.WAIT);

            // Tab completes the nick of someone in the room
            tmux.text("bob", "ali");
            tmux.keys("bob", "Tab");
            tmux.waitFor("bob", s -> s.lines().anyMatch(l -> l.startsWith("[#general] alice:")), Tmux.WAIT);
            tmux.text("bob", "ok");
            tmux.keys("bob", "Enter");
            tmux.keys("alice", "M-2");
            tmux.waitFor("alice", "<bob> alice: ok");

            tmux.line("alice", "/quit");
            tmux.line("bob", "/quit");
            tmux.waitFor("alice", "exit=0");
            tmux.waitFor("bob", "exit=0");
        }
    }

    @Test
    void pageUpScrollsBackAndTheLayoutFollowsAResize() throws Exception {
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = twoUsersInGeneral(alice, bob); Tmux tmux = Tmux.start("scroll")) {
            openChat(tmux, "alice", alice, 120, 40);
            openChat(tmux, "bob", bob, 120, 40);
            tmux.line("alice", "/join #general");
            tmux.line("bob", "/join #general");
            tmux.waitFor("alice", "[#general]");
            for (int i = 1; i <= 60; i++) {
                tmux.text("alice", String.format("line %02d of the backlog", i));
                tmux.keys("alice", "Enter");
            }
            String bottom = tmux.waitFor("bob", "<alice> line 60 of the backlog");
            assertThat(bottom).doesNotContain("line 10 of").doesNotContain("-- more --");

            tmux.keys("bob", "PPage");
            String up = tmux.waitFor("bob", s -> s.contains("-- more --"), Tmux.WAIT);
            assertThat(up).contains("line 10 of the backlog").doesNotContain("line 60 of the backlog");
            tmux.keys("bob", "NPage");
            tmux.waitFor("bob", s -> s.contains("line 60 of the backlog") && !s.contains("-- more --"), Tmux.WAIT);

            // narrow: the conversation list becomes a bar at the top
            tmux.resize("bob", 50, 20);
            String narrow = tmux.waitFor("bob", s -> s.startsWith(" 1:status 2:#general"), Tmux.WAIT);
            assertThat(narrow.lines().toList()).hasSizeLessThanOrEqualTo(20)
                    .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(50));
            assertThat(narrow).contains("line 60 of").doesNotContain("│");
            // wide again: the list is back on the left
            tmux.resize("bob", 120, 40);
            tmux.waitFor("bob", s -> s.contains(" 2 #general     │") && s.contains("line 60 of"), Tmux.WAIT);
            tmux.line("bob", "/quit");
            tmux.waitFor("bob", "exit=0");
        }
    }

    @Test
    void quittingWithSlashQuitOrCtrlCLeavesTheTerminalAsItWas() throws Exception {
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = twoUsersInGeneral(alice, bob); Tmux tmux = Tmux.start("quit")) {
            tmux.shell("term", 100, 30);
            for (String how : List.of("slash", "ctrl-c")) {
                Path before = tmp.resolve("stty-before-" + how);
                Path after = tmp.resolve("stty-after-" + how);
                // the marker is printed as "done-HOW" but typed as "done HOW", so the typed line does not match it
                tmux.line("term", "clear; stty -a > " + before + "; " + Image.bin("crumbhub-client") + " chat --home "
                        + alice.home + "; code=$?; stty -a > " + after + "; printf '%s-%s exit=%s\\n' done " + how
                        + " $code");
                tmux.waitFor("term", "[connected]");
                if (how.equals("slash")) {
                    tmux.line("term", "/quit");
                } else {
                    tmux.keys("term", "C-c");
                }
                String screen = tmux.waitFor("term", s -> s.lines().anyMatch(l -> l.startsWith("done-" + how)), Tmux.WAIT);
                assertThat(screen).contains("done-" + how + " exit=0").doesNotContain("[connected]");
                assertThat(Files.readString(after)).as("stty -a after %s", how).isEqualTo(Files.readString(before));
                // the shell still echoes what is typed: the terminal is usable
                tmux.text("term", "echo still-cooked-" + how);
                tmux.waitFor("term", "echo still-cooked-" + how);
                tmux.keys("term", "Enter");
                tmux.waitFor("term", s -> Arrays.stream(s.split("\n")).anyMatch(l -> l.equals("still-cooked-" + how)),
                        Tmux.WAIT);
            }
        }
    }

    @Test
    void theTerminalIsRestoredWhenTheChatIsKilled() throws Exception {
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        try (ServerProcess server = twoUsersInGeneral(alice, bob); Tmux tmux = Tmux.start("term")) {
            tmux.shell("term", 100, 30);
            Path before = tmp.resolve("stty-before");
            Path after = tmp.resolve("stty-after");
            tmux.line("term", "stty -a > " + before + "; " + Image.bin("crumbhub-client") + " chat --home " + alice.home
                    + "; printf '%s-%s\\n' done term");
            tmux.waitFor("term", "[connected]");
            long shell = Long.parseLong(tmux.tmux("display-message", "-p", "-t", "term", "#{pane_pid}").strip());
            ProcessHandle chat = ProcessHandle.of(shell).orElseThrow().children().findFirst().orElseThrow();
            chat.destroy(); // SIGTERM
            tmux.waitFor("term", s -> s.lines().anyMatch(l -> l.equals("done-term")), Tmux.WAIT);
            tmux.line("term", "stty -a > " + after + "; printf '%s-%s\\n' stty written");
            tmux.waitFor("term", s -> s.lines().anyMatch(l -> l.equals("stty-written")), Tmux.WAIT);
            assertThat(Files.readString(after)).isEqualTo(Files.readString(before));
        }
    }
}
