package crumbhub.client.ops;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.cli.CommandLine;
import crumbhub.client.cli.Specs;
import crumbhub.client.daemon.JsonReader;
import crumbhub.client.daemon.Request;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UserAction;
import crumbhub.client.tui.chat.ChatCommands;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.chat.CommandOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every client operation is reachable from the syntax of each front end that offers it: the CLI
 * offers every {@link Operation}, the chat and the daemon every {@link Operation.Common}. A new
 * operation record fails here until each front end maps a command onto it (and a sample of that
 * command is added below).
 */
class OperationReachabilityTest {
    /** A message id, as listen --json prints it. */
    private static final String ID_FIRST = "0123456789abcdef0123456789abcdef";

    /** One command line per CLI command that is an operation. */
    private static final List<List<String>> CLI = List.of(
            List.of("send", "#dev", "hello"), List.of("room", "create", "#dev"), List.of("room", "join", "#dev"),
            List.of("room", "leave", "#dev"), List.of("room", "invite", "#dev", "bob"),
            List.of("room", "kick", "#dev", "bob"), List.of("room", "list"), List.of("room", "members", "#dev"),
            List.of("devices"), List.of("devices", "revoke", "7"), List.of("verify", "bob"),
            List.of("react", ID_FIRST, "+1"), List.of("edit", ID_FIRST, "fixed"), List.of("delete", ID_FIRST));

    /** Lines typed in the chat, in the room #dev. */
    private static final List<String> CHAT = List.of("hello", "/me waves", "/msg bob hi", "/topic Be kind",
            "/join #ops", "/leave", "/who", "/rooms", "/invite bob", "/kick bob", "/verify bob", "/devices", "/react +1");

    /** Daemon request lines. */
    private static final List<String> DAEMON = List.of(
            "{\"op\":\"send\",\"to\":\"#dev\",\"text\":\"hi\"}", "{\"op\":\"join\",\"room\":\"#dev\"}",
            "{\"op\":\"leave\",\"room\":\"#dev\"}", "{\"op\":\"invite\",\"room\":\"#dev\",\"user\":\"bob\"}",
            "{\"op\":\"kick\",\"room\":\"#dev\",\"user\":\"bob\"}", "{\"op\":\"rooms\"}",
            "{\"op\":\"members\",\"room\":\"#dev\"}", "{\"op\":\"verify\",\"user\":\"bob\"}", "{\"op\":\"devices\"}",
            "{\"op\":\"react\",\"message\":\"0123456789abcdef0123456789abcdef\",\"emoji\":\"+1\"}");

    @Test
    void theCliReachesEveryOperation() {
        var parser = new CommandLine(Specs.ALL);
        var reached = new HashSet<Class<?>>();
        for (var args : CLI) {
            var parsed = parser.parse(args.toArray(String[]::new));
            reached.add(parsed.spec().handler().operation(parsed).orElseThrow().getClass());
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(records(Operation.class));
    }

    @Test
    void everyCliCommandThatIsAnOperationHasASample() {
        var parser = new CommandLine(Specs.ALL);
        var sampled = CLI.stream().map(args -> parser.parse(args.toArray(String[]::new)).spec()).toList();
        for (var spec : Specs.ALL) {
            if (spec.handler() instanceof crumbhub.client.cli.CommandHandler.Runs<?>) {
                assertThat(sampled).as("a sample of " + spec.name()).contains(spec);
            }
        }
    }

    @Test
    void theChatReachesEveryCommonOperation() {
        var state = new ChatState(100, Clock.systemUTC());
        state.focus(ConversationId.room("dev"));
        // a message from bob to react to
        state.apply(new crumbhub.client.model.UiEvent.MessageReceived(crumbhub.client.model.ChatMessage.text(
                "bob/" + ID_FIRST, ConversationId.room("dev"), "bob", java.time.Instant.now(), "hi")));
        var reached = new HashSet<Class<?>>();
        for (String line : CHAT) {
            var outcome = ChatCommands.parse(line, state);
            assertThat(outcome).as(line).isInstanceOf(CommandOutcome.Perform.class);
            reached.add(switch (((CommandOutcome.Perform) outcome).action()) {
                case UserAction.Run run -> run.operation().getClass();
                case UserAction.Sending sending -> sending.operation().getClass();
                case UserAction.Quit quit -> UserAction.Quit.class;
                case UserAction.Search search -> UserAction.Search.class;
                case UserAction.LoadOlder older -> UserAction.LoadOlder.class;
            });
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(records(Operation.Common.class));
    }

    @Test
    void theDaemonReachesEveryCommonOperation() throws Exception {
        var reached = new HashSet<Class<?>>();
        for (String line : DAEMON) {
            if (Request.decode(JsonReader.parse(line)) instanceof Request.Run run) {
                reached.add(run.operation().getClass());
            }
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(records(Operation.Common.class));
    }

    /** The record classes below a sealed interface. */
    private static Set<Class<?>> records(Class<?> sealed) {
        var out = new HashSet<Class<?>>();
        var todo = new ArrayList<Class<?>>(List.of(sealed));
        while (!todo.isEmpty()) {
            Class<?> c = todo.removeLast();
            if (c.isRecord()) {
                out.add(c);
            } else if (c.isSealed()) {
                todo.addAll(Stream.of(c.getPermittedSubclasses()).toList());
            }
        }
        return out;
    }
}
