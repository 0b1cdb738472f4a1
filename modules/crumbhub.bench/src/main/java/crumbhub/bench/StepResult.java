package crumbhub.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The measurement of one step of one scenario: what was offered, what arrived, how fast, and
 * what it cost the server. Latencies are in milliseconds.
 *
 * @param target                 {@code crumbhub} or {@code irc}
 * @param scenario               the scenario's name
 * @param step                   1-based step number
 * @param clients                connections taking part
 * @param rooms                  rooms (channels) used
 * @param senders                clients sending
 * @param size                   message body bytes
 * @param offeredPerS            the aggregate rate the step aimed at
 * @param sentPerS               messages actually handed to connections per second
 * @param deliveredPerS          deliveries per second, summed over receivers
 * @param expected               deliveries expected (each sent message times its receivers)
 * @param received               deliveries that arrived before the drain period ended
 * @param lost                   {@code expected - received}, never negative
 * @param errors                 requests the server refused (ERROR replies, closed connections)
 * @param p50Ms                  median latency
 * @param p99Ms                  99th percentile latency
 * @param maxMs                  largest latency
 * @param serverCpuUsPerDelivery server CPU microseconds per delivery, or null without {@code --server-pid}
 * @param serverRssKb            server resident set size at the end of the step, or -1 without {@code --server-pid}
 * @param extras                 scenario-specific numbers (ordered), printed after the common ones
 */
public record StepResult(
        String target,
        String scenario,
        int step,
        int clients,
        int rooms,
        int senders,
        int size,
        double offeredPerS,
        double sentPerS,
        double deliveredPerS,
        long expected,
        long received,
        long lost,
        long errors,
        double p50Ms,
        double p99Ms,
        double maxMs,
        Double serverCpuUsPerDelivery,
        long serverRssKb,
        Map<String, Object> extras) {

    public StepResult {
        Objects.requireNonNull(target);
        Objects.requireNonNull(scenario);
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** Whether this step broke the run's limits: anything lost, or p99 above the limit. */
    public boolean broke(double p99LimitMs) {
        return lost > 0 || errors > 0 || p99Ms > p99LimitMs;
    }
}
