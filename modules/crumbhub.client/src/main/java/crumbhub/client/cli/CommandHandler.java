package crumbhub.client.cli;

import crumbhub.client.ops.Operation;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What runs a command, bound in its {@link CommandSpec} so that a command without a handler does
 * not compile. A command either maps its arguments onto a client {@link Operation} and runs it
 * ({@link Runs}), or is local to the CLI: logging in, listening, the long-running sessions, the
 * home directory ({@link Local}). Runs on the command's thread and returns the exit code.
 */
public sealed interface CommandHandler {
    /** Runs the command in {@code ctx}; returns the exit code. Blocks until the command is done. */
    int run(Context ctx);

    /** The client operation this command line asks for, if the command is one; parsing only, nothing runs. */
    Optional<Operation> operation(ParsedCommand command);

    /** Runs an operation and prints what it did. */
    @FunctionalInterface
    interface Performer<O extends Operation> {
        int perform(Context ctx, O operation);
    }

    /** A command that is a client operation: {@code parse} checks the arguments, {@code perform} runs and prints. */
    record Runs<O extends Operation>(Function<ParsedCommand, O> parse, Performer<O> perform) implements CommandHandler {
        @Override
        public int run(Context ctx) {
            return perform.perform(ctx, parse.apply(ctx.command));
        }

        @Override
        public Optional<Operation> operation(ParsedCommand command) {
            return Optional.of(parse.apply(command));
        }
    }

    /** A command of the CLI alone. */
    record Local(ToIntFunction<Context> body) implements CommandHandler {
        @Override
        public int run(Context ctx) {
            return body.applyAsInt(ctx);
        }

        @Override
        public Optional<Operation> operation(ParsedCommand command) {
            return Optional.empty();
        }
    }

    static <O extends Operation> CommandHandler runs(Function<ParsedCommand, O> parse, Performer<O> perform) {
        return new Runs<>(parse, perform);
    }

    static CommandHandler local(ToIntFunction<Context> body) {
        return new Local(body);
    }
}
