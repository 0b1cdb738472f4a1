package crumbhub.server.core;

import crumbhub.server.domain.Domain;
import crumbhub.server.domain.State;

/**
 * The seq lease (server.md §5), on the core thread. A message may be pushed before its record is
 * durable only if its seq is at most the <em>durable</em> lease: a durable
 * {@link crumbhub.server.domain.Change.SeqLeased} record promises that a state rebuilt from the log
 * (after a crash, or the journal's rollback after a storage fault) hands out only seqs above it,
 * so a seq that was pushed and then lost is never given to another message.
 *
 * <p>The durable lease is tracked here from the journal's durability callbacks, not read from
 * the journal's copy of the durable state. The lease is renewed early, when the last seq passes
 * the middle of the lease, so in steady state no push waits for a renewal.
 */
final class SeqLeases {
    /** Seqs one renewal covers: one small record per 32,768 messages. */
    static final long LEASE = 65_536;

    private final Domain domain;
    private final Journal journal;
    /** The highest lease whose record is durable. */
    private long durable;
    private boolean renewing;
    /** The state was rebuilt from durable records: skip the leased seqs before handing out the next one. */
    private boolean rebuilt = true;

    /** @param domain whose state was just recovered from durable records */
    SeqLeases(Domain domain, Journal journal) {
        this.domain = domain;
        this.journal = journal;
        this.durable = domain.state().seqLease();
    }

    /** The highest seq that may be pushed before its record is durable. */
    long durable() {
        return durable;
    }

    /** Call before a change that hands out seqs: after a rebuild, the leased seqs are skipped first. */
    void beforeStore() {
        if (!rebuilt) {
            return;
        }
        rebuilt = false;
        State s = domain.state();
        if (s.lastSeq() < s.seqLease()) {
            domain.leaseSeqs(s.seqLease(), s.seqLease());
        }
    }

    /** Call after seqs were handed out: renews the lease once half of it is used. */
    void afterStore() {
        State s = domain.state();
        if (renewing || s.lastSeq() <= durable - LEASE / 2) {
            return;
        }
        long upTo = Math.max(s.seqLease(), s.lastSeq()) + LEASE;
        renewing = true;
        domain.leaseSeqs(0, upTo);
        journal.afterDurable(() -> {
            durable = Math.max(durable, upTo);
            renewing = false;
        }, () -> renewing = false);
    }

    /** The journal rolled the live state back to the durable one. */
    void rolledBack() {
        rebuilt = true;
    }
}
