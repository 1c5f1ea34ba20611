package io.conflictmon.ingest.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Kyiv local time, the zone every Ukrainian source reports in, turned into instants.
 *
 * <p>DST: a local time inside the spring gap (e.g. 03:30 on the last Sunday of March) does not exist; it is
 * moved forward by the length of the gap (to 04:30 summer time), as {@link ZonedDateTime#of} does. A local
 * time inside the autumn overlap (03:00-03:59 on the last Sunday of October) happens twice; the start of a
 * window takes the earlier instant and the end of a window the later one, so an ambiguous window is never
 * narrowed and its end never moves before its start.
 */
public final class KyivTime {
    public static final ZoneId ZONE = ZoneId.of("Europe/Kyiv");

    private KyivTime() {
    }

    /** The instant of a local time that starts a window (earlier offset in an overlap). */
    public static Instant windowStart(LocalDateTime local) {
        return ZonedDateTime.ofLocal(local, ZONE, null).withEarlierOffsetAtOverlap().toInstant();
    }

    /** The instant of a local time that ends a window (later offset in an overlap). */
    public static Instant windowEnd(LocalDateTime local) {
        return ZonedDateTime.ofLocal(local, ZONE, null).withLaterOffsetAtOverlap().toInstant();
    }

    /** 00:00 Kyiv time of the day. */
    public static Instant startOfDay(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }

    /**
     * The last millisecond of the Kyiv day (the next day's 00:00 minus 1 ms). A date-only window ends here rather
     * than at the next midnight so that its end still falls on the same Kyiv calendar day: totals are counted
     * by the day of {@code timeEnd}, and the millisecond schema field cannot express a half-open interval.
     */
    public static Instant endOfDay(LocalDate day) {
        return startOfDay(day.plusDays(1)).minusMillis(1);
    }

    /** The Kyiv calendar day an instant falls on. */
    public static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }
}
