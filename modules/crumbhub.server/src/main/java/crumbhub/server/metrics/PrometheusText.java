package crumbhub.server.metrics;

/** Writes the Prometheus text exposition format, one metric family at a time. Single-threaded. */
public final class PrometheusText {
    private final StringBuilder out = new StringBuilder(2048);

    public PrometheusText gauge(String name, String help, double value) {
        return family(name, help, "gauge", value);
    }

    public PrometheusText counter(String name, String help, double value) {
        return family(name, help, "counter", value);
    }

    private PrometheusText family(String name, String help, String type, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
