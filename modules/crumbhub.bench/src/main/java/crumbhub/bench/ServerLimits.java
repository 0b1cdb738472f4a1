package crumbhub.bench;

/**
 * Names the limit of a CrumbHub server with default settings that stopped the bench, and how to
 * start a server for benchmarking (docs/benchmarks.md "Against a server with default limits"): a
 * bench is one trusted address registering and sending far beyond what the defaults allow one
 * address, on purpose (docs/security.md §11).
 */
final class ServerLimits {
    /** A server that lets one bench address register, connect and send as much as it likes. */
    static final String BENCH_SERVER = "crumbhub-server --registration open --max-connections-per-address 200000"
            + " --rate-connection 100000000/1s --rate-user 100000000/1s --rate-register-address 100000/1h"
            + " --rate-register-global 100000/1h";
    /** The server's default {@code max.connections.per.address}. */
    static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 64;

    private ServerLimits() {}

    /**
     * The sentence to append to a refusal, starting with {@code "; "}, or {@code ""} when the
     * refusal is not one of a limit.
     *
     * @param code    the error code of the server's reply
     * @param message the server's sentence
     */
    static String hint(String code, String message) {
        String limit = switch (code) {
            case "throttled" -> message.startsWith("too many new accounts from your address")
                    ? "rate.register.address (20 new accounts an hour from one address by default)"
                    : message.startsWith("too many new accounts on this server")
                    ? "rate.register.global (200 new accounts an hour by default)"
                    : message.startsWith("too many requests on this connection")
                    ? "rate.connection (500 requests a second per connection by default)"
                    : message.startsWith("too many requests from your account")
                    ? "rate.user (requests a second per account)"
                    : null;
            case "registration_closed", "invite_invalid" -> "registration (invite-only by default)";
            default -> null;
        };
        return limit == null ? "" : "; the server's limit " + limit + " stops the bench: run it against a server"
                + " started for benchmarking (" + BENCH_SERVER + "; docs/benchmarks.md)"
                + (code.equals("throttled") ? "" : ", or pass --invite CODE");
    }

    /** The sentence to append when {@code clients} connections from one address were cut off. */
    static String connectionHint(int clients) {
        return clients <= DEFAULT_CONNECTIONS_PER_ADDRESS ? ""
                : "; a server with default limits admits " + DEFAULT_CONNECTIONS_PER_ADDRESS + " connections per address"
                + " (max.connections.per.address): run the bench against a server started for benchmarking ("
                + BENCH_SERVER + "; docs/benchmarks.md), or spread it with --source-addresses";
    }
}
