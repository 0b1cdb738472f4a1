package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void firstMessageIsDueAtTheStartAndTheRestAtTheRate() {
        var p = new Pacer(1_000, 10, 100);
        assertThat(p.dueBy(999)).isZero();
        assertThat(p.dueBy(1_000)).isEqualTo(1);
        assertThat(p.dueBy(1_000 + S / 10 - 1)).isEqualTo(1);
        assertThat(p.dueBy(1_000 + S / 10)).isEqualTo(2);
        assertThat(p.dueBy(1_000 + S)).isEqualTo(11);
    }

    @Test
    void aLateTickSendsTheWholeBacklogUpToTheBurst() {
        var p = new Pacer(0, 1_000, 10_000);
        assertThat(p.take(0, 100)).isEqualTo(1);
        assertThat(p.take(S / 2, 100)).isEqualTo(100);
        assertThat(p.take(S / 2, 1_000)).isEqualTo(400);
        assertThat(p.taken()).isEqualTo(501);
        assertThat(p.take(S / 2, 1_000)).isZero();
    }

    @Test
    void stopsAtTheLimit() {
        var p = new Pacer(0, 1_000, 5);
        assertThat(p.take(10 * S, 100)).isEqualTo(5);
        assertThat(p.done()).isTrue();
        assertThat(p.take(20 * S, 100)).isZero();
    }

    @Test
    void givenBackMessagesAreDueAgain() {
        var p = new Pacer(0, 100, 10);
        assertThat(p.take(S / 20, 10)).isEqualTo(6);
        p.giveBack(2);
        assertThat(p.take(S / 20, 10)).isEqualTo(2);
    }

    @Test
    void nextDueIsWhenTheFollowingMessageIsScheduled() {
        var p = new Pacer(500, 4, 100);
        p.take(500, 10);
        assertThat(p.nextDueNanos()).isEqualTo(500 + S / 4);
    }

    @Test
    void rejectsRatesThatAreNotPositive() {
        assertThatThrownBy(() -> new Pacer(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(0, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(0, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
