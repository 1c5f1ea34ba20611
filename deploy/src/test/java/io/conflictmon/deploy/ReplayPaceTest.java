package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conflictmon.ingest.importer.ImportFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code demo --speed N}: N rows a second across the files of a replay, on a clock the test drives. */
class ReplayPaceTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();
    private final ReplayPace pace = new ReplayPace(4, now::get, nanos -> {
        sleeps.add(nanos);
        now.addAndGet(nanos);
    });

    @Test
    void rowsAreHeldToTheirSlotAcrossFiles() {
        long start = now.get();
        replay("a.csv", 6);
        replay("b.csv", 2);

        assertThat(now.get() - start).as("8 rows at 4 a second").isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(sleeps).hasSize(8).allMatch(nanos -> nanos == TimeUnit.MILLISECONDS.toNanos(250));
    }

    @Test
    void aSlowImportIsNeverHeldBack() {
        pace.started("slow.csv", ImportFormat.AIR_FORCE_CSV, 100);
        now.addAndGet(TimeUnit.SECONDS.toNanos(10)); // reading took longer than 3 rows' slots
        pace.progressed(1, 10);
        pace.progressed(2, 20);
        pace.progressed(3, 30);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aPaceMustBePositive() {
        assertThatThrownBy(() -> ReplayPace.of(0)).hasMessageContaining("--speed");
    }

    private void replay(String file, int rows) {
        pace.started(file, ImportFormat.AIR_FORCE_CSV, 1_000);
        for (int row = 1; row <= rows; row++) {
            pace.progressed(row, row * 100L);
        }
    }
}
