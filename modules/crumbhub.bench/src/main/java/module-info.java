/**
 * The CrumbHub load generator behind {@code bin/crumbhub-bench} (docs/benchmarks.md): fleets of
 * CrumbHub or IRC clients on a few event loops. Needs only the wire protocol; exports nothing.
 */
module crumbhub.bench {
    requires crumbhub.wire;
}
