package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SentLogTest {
    @Test
    void findsWhereARememberedIdWasStored() {
        var log = new SentLog(8);
        log.add(1, 2, 10, 100);
        log.add(3, 4, 11, 101);

        int slot = log.find(3, 4);
        assertThat(slot).isNotNegative();
        assertThat(log.seqAt(slot)).isEqualTo(11);
        assertThat(log.tsAt(slot)).isEqualTo(101);
        assertThat(log.find(1, 3)).isEqualTo(-1);
    }

    @Test
    void findsAnIdGivenAsSixteenBigEndianBytes() {
        var log = new SentLog(8);
        log.add(0x0102030405060708L, 0x090A0B0C0D0E0FF0L, 5, 6);
        byte[] id = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) 0xF0};

        assertThat(log.seqAt(log.find(id))).isEqualTo(5);
    }

    @Test
    void forgetsTheOldestBeyondItsLimit() {
        var log = new SentLog(4);
        for (int i = 0; i < 6; i++) {
            log.add(i, i, i, i);
        }

        assertThat(log.size()).isEqualTo(4);
        assertThat(log.find(0, 0)).isEqualTo(-1);
        assertThat(log.find(1, 1)).isEqualTo(-1);
        for (int i = 2; i < 6; i++) {
            assertThat(log.seq(i - 2)).isEqualTo(i);
            assertThat(log.find(i, i)).isNotNegative();
        }
    }

    @Test
    void aRepeatedIdKeepsItsPlaceAndTakesTheNewSeq() {
        var log = new SentLog(4);
        log.add(1, 1, 1, 1);
        log.add(2, 2, 2, 2);
        log.add(1, 1, 9, 9);

        assertThat(log.size()).isEqualTo(2);
        assertThat(log.hi(0)).isEqualTo(1);
        assertThat(log.seq(0)).isEqualTo(9);
    }

    @Test
    void agreesWithAnInsertionOrderedMapUnderRandomUse() {
        var random = new Random(42);
        var log = new SentLog(64);
        var model = new LinkedHashMap<Long, Long>();
        for (int i = 0; i < 20_000; i++) {
            long id = random.nextInt(200); // a small id space forces repeats and long probe runs
            if (!model.containsKey(id)) {
                model.put(id, (long) i);
                if (model.size() > 64) {
                    model.remove(model.keySet().iterator().next());
                }
            } else {
                model.put(id, (long) i);
            }
            log.add(id, -id, i, 0);
            if (i % 97 == 0) {
                assertSame(log, model);
            }
        }
        assertSame(log, model);
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        var log = new SentLog(4);
        log.add(1, 1, 1, 1);
        var copy = new SentLog(4);
        copy.copyFrom(log);
        log.add(2, 2, 2, 2);

        assertThat(copy.size()).isEqualTo(1);
        assertThat(copy.find(1, 1)).isNotNegative();
        assertThat(copy.find(2, 2)).isEqualTo(-1);
    }

    @Test
    void refusesALimitThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new SentLog(100)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSame(SentLog log, Map<Long, Long> model) {
        assertThat(log.size()).isEqualTo(model.size());
        int i = 0;
        for (Map.Entry<Long, Long> e : model.entrySet()) {
            assertThat(log.hi(i)).isEqualTo(e.getKey());
            assertThat(log.seq(i)).isEqualTo(e.getValue());
            i++;
        }
        for (long id = 0; id < 200; id++) {
            int slot = log.find(id, -id);
            if (model.containsKey(id)) {
                assertThat(log.seqAt(slot)).isEqualTo(model.get(id));
            } else {
                assertThat(slot).isEqualTo(-1);
            }
        }
    }
}
