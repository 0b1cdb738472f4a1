package crumbhub.client.tui;

import crumbhub.client.model.ConversationId;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * Tries the chat UI on a real terminal without a server:
 * {@code java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes crumbhub.client.tui.DemoMain [history]}.
 * People chat in the background every few seconds; {@code /quit} or Ctrl-C ends it.
 */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int history = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        var model = new DemoModel(System.getProperty("user.name", "me").toLowerCase().replaceAll("[^a-z0-9_.-]", ""),
                Clock.systemUTC(), history);
        var chatter = Thread.ofPlatform().daemon().start(() -> {
            var random = new Random();
            String[] people = {"alice", "bob", "carol"};
            String[] lines = {"anyone up for lunch?", "the build is green again", "日本語もOK 😀", "brb",
                    "did you see the new release notes? they are long but worth it, especially the part about the ratchet"};
            try {
                while (true) {
                    // hand-run demo, not a test: the people in the background type every few seconds
                    Thread.sleep(Duration.ofSeconds(4 + random.nextInt(6)));
                    var where = random.nextInt(4) == 0 ? ConversationId.direct("alice")
                            : ConversationId.room(random.nextBoolean() ? "general" : "random");
                    String from = where.isDirect() ? "alice" : people[random.nextInt(people.length)];
                    model.incoming(where, from, lines[random.nextInt(lines.length)]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ChatLauncher.run(model);
        chatter.interrupt();
    }
}
