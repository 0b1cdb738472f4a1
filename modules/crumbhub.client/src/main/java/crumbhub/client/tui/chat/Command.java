package crumbhub.client.tui.chat;

import java.util.List;

/**
 * A slash command: its name, how its arguments read in help, one line of help, and what each
 * argument is (so that Tab completes rooms or nicks in the right place).
 */
public record Command(String name, String usage, String help, List<Argument> arguments) {
    public enum Argument { ROOM, USER, TEXT, WORD }

    public Command {
        arguments = List.copyOf(arguments);
    }

    /** {@code /name usage}. */
    public String synopsis() {
        return usage.isEmpty() ? "/" + name : "/" + name + " " + usage;
    }
}
