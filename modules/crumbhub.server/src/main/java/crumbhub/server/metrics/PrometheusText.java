package crumbhub.server.metrics;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4), one metric family at a time,
 * each with its {@code # HELP} and {@code # TYPE} lines. Names follow the conventions: counters
 * end in {@code _total}, units are base units named in the suffix ({@code _seconds},
 * {@code _bytes}). Single-threaded.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private final StringBuilder out = new StringBuilder(4096);

    /** One histogram bucket: {@code cumulative} observations were at most {@code le}. */
    public record Bucket(double le, long cumulative) {}

    public PrometheusText gauge(String name, String help, double value) {
        head(name, help, "gauge");
        sample(name, "", value);
        return this;
    }

    /** A counter; its name must end in {@code _total}. */
    public PrometheusText counter(String name, String help, double value) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        head(name, help, "counter");
        sample(name, "", value);
        return this;
    }

    /**
     * A counter with one sample per value of one label, in the map's order
     * ({@code crumbhub_quota_refusals_total{quota="mailbox_bytes"} 3}); its name must end in {@code _total}.
     */
    public PrometheusText counter(String name, String help, String label, Map<String, ? extends Number> values) {
        if (!name.endsWith("_total") || !label.matches(NAME)) {
            throw new IllegalArgumentException("a counter's name ends in _total and its label is a name: " + name);
        }
        head(name, help, "counter");
        values.forEach((k, v) -> sample(name, "{" + label + "=\"" + escapeLabel(k) + "\"}", v.doubleValue()));
        return this;
    }

    /** A gauge of value 1 whose labels carry the information ({@code crumbhub_build_info{version="…"}}). */
    public PrometheusText info(String name, String help, Map<String, String> labels) {
        head(name, help, "gauge");
        var l = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (l.length() > 1) {
                l.append(',');
            }
            l.append(k).append("=\"").append(escapeLabel(v)).append('"');
        });
        sample(name, l.append('}').toString(), 1);
        return this;
    }

    /**
     * A histogram from cumulative buckets in increasing {@code le} order; a {@code +Inf} bucket
     * holding {@code count} is added if the last one is finite.
     */
    public PrometheusText histogram(String name, String help, List<Bucket> buckets, double sum, long count) {
        head(name, help, "histogram");
        for (Bucket b : buckets) {
            if (Double.isInfinite(b.le())) {
                continue;
            }
            sample(name + "_bucket", "{le=\"" + number(b.le()) + "\"}", b.cumulative());
        }
        sample(name + "_bucket", "{le=\"+Inf\"}", count);
        sample(name + "_sum", "", sum);
        sample(name + "_count", "", count);
        return this;
    }

    private void head(String name, String help, String type) {
        if (!name.matches(NAME)) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    /** Integers without a fraction, others in plain decimal; NaN and infinities as Prometheus spells them. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
