package crumbhub.client.cli;

import java.util.Objects;

/**
 * One {@code --name} option of a command.
 *
 * @param name      without the leading dashes
 * @param valueName null for a flag, else the placeholder shown in help ({@code DIR}, {@code N})
 * @param help      one line for {@code --help}
 */
public record OptionSpec(String name, String valueName, String help) {
    public OptionSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(help);
    }

    public static OptionSpec flag(String name, String help) {
        return new OptionSpec(name, null, help);
    }

    public static OptionSpec value(String name, String valueName, String help) {
        return new OptionSpec(name, Objects.requireNonNull(valueName), help);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    String synopsis() {
        return takesValue() ? "--" + name + " " + valueName : "--" + name;
    }
}
