package crumbhub.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints step results as an aligned table or as JSON lines (docs/benchmarks.md "The tool"). The JSON
 * object of a step always has {@code target, scenario, clients, senders, offered_per_s,
 * delivered_per_s, p50_ms, p99_ms, max_ms, lost}, and with a server pid
 * {@code server_cpu_us_per_delivery, server_rss_kb}. Thread: the orchestrating thread only.
 */
public final class Report {
    private static final String HEADER = String.format(Locale.ROOT,
            "%-8s %-8s %4s %7s %7s %10s %10s %12s %8s %8s %8s %8s %10s %9s  %s",
            "target", "scenario", "step", "clients", "senders", "offered/s", "sent/s", "delivered/s",
            "p50_ms", "p99_ms", "max_ms", "lost", "srv_us/dlv", "srv_MiB", "more");

    private final PrintStream out;
    private final boolean json;
    private boolean headerPrinted;

    public Report(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Prints one step and flushes, so a long run shows progress. */
    public void print(StepResult r) {
        if (json) {
            out.println(toJson(r));
        } else {
            if (!headerPrinted) {
                out.println(HEADER);
                headerPrinted = true;
            }
            out.println(toRow(r));
        }
        out.flush();
    }

    /** The step's fields in report order (common ones first, then the scenario's own). */
    static Map<String, Object> fields(StepResult r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("target", r.target());
        m.put("scenario", r.scenario());
        m.put("step", r.step());
        m.put("clients", r.clients());
        m.put("rooms", r.rooms());
        m.put("senders", r.senders());
        m.put("size", r.size());
        m.put("offered_per_s", r.offeredPerS());
        m.put("sent_per_s", r.sentPerS());
        m.put("delivered_per_s", r.deliveredPerS());
        m.put("expected", r.expected());
        m.put("received", r.received());
        m.put("lost", r.lost());
        m.put("errors", r.errors());
        m.put("p50_ms", r.p50Ms());
        m.put("p99_ms", r.p99Ms());
        m.put("max_ms", r.maxMs());
        if (r.serverCpuUsPerDelivery() != null) {
            m.put("server_cpu_us_per_delivery", r.serverCpuUsPerDelivery());
        }
        if (r.serverRssKb() >= 0) {
            m.put("server_rss_kb", r.serverRssKb());
        }
        m.putAll(r.extras());
        return m;
    }

    /** One JSON object on one line. */
    public static String toJson(StepResult r) {
        var sb = new StringBuilder(512).append('{');
        boolean first = true;
        for (var e : fields(r).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendString(sb, e.getKey());
            sb.append(':');
            appendValue(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    static String toRow(StepResult r) {
        var more = new StringBuilder();
        more.append("rooms=").append(r.rooms()).append(" size=").append(r.size());
        if (r.errors() > 0) {
            more.append(" errors=").append(r.errors());
        }
        for (var e : r.extras().entrySet()) {
            more.append(' ').append(e.getKey()).append('=').append(plain(e.getValue()));
        }
        return String.format(Locale.ROOT,
                "%-8s %-8s %4d %7d %7d %10.0f %10.0f %12.0f %8.2f %8.2f %8.2f %8d %10s %9s  %s",
                r.target(), r.scenario(), r.step(), r.clients(), r.senders(), r.offeredPerS(), r.sentPerS(),
                r.deliveredPerS(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.lost(),
                r.serverCpuUsPerDelivery() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.serverCpuUsPerDelivery()),
                r.serverRssKb() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.serverRssKb() / 1024.0),
                more);
    }

    private static String plain(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    private static void appendValue(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Double d when Double.isNaN(d) || Double.isInfinite(d) -> sb.append("null");
            case Double d -> sb.append(round(d));
            case Float f -> appendValue(sb, f.doubleValue());
            case Number n -> sb.append(n.longValue());
            case Boolean b -> sb.append(b);
            default -> appendString(sb, v.toString());
        }
    }

    /** Three decimals are more than the measurement's precision; keep lines short and stable. */
    private static String round(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = String.format(Locale.ROOT, "%.3f", d);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    private static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
