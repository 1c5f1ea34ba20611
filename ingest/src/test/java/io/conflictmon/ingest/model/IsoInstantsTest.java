package io.conflictmon.ingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.importer.AirForceCsvParser;
import io.conflictmon.ingest.importer.ParsedRow;
import io.conflictmon.ingest.testutil.SharedData;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written instant reading and writing against the JDK and jsr310: every text the fast reader takes must give
 * jsr310's instant, every text it leaves must still go through jsr310 (same value or same refusal), and writing must
 * be {@link Instant#toString()}; on the times of the real attack log and on random instants.
 */
class IsoInstantsTest {
    /** jsr310 alone, as the ingest mapper read instants before the fast path. */
    static final ObjectMapper JSR310 = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();
    static final long YEAR_10000 = 253_402_300_800L;
    static List<Instant> realTimes;

    @BeforeAll
    static void readTheRealLog() throws Exception {
        Path file = SharedData.file(SharedData.ATTACKS);
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);
        AirForceCsvParser parser = new AirForceCsvParser(new ReportMapper(WeaponClassifier.bundled()),
                new ReportValidator(clock), clock.instant(), file.getFileName().toString());
        realTimes = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Stream<ParsedRow<StrikeReport>> rows = parser.parse(in)) {
            rows.forEach(row -> {
                if (row instanceof ParsedRow.Accepted<StrikeReport> accepted) {
                    realTimes.add(accepted.report().getTimeStart());
                    realTimes.add(accepted.report().getTimeEnd());
                }
            });
        }
        assertThat(realTimes).hasSizeGreaterThan(6_000);
    }

    static Instant jsr310(String text) throws JsonProcessingException {
        return JSR310.readValue(JSR310.writeValueAsString(text), Instant.class);
    }

    static Instant ingest(String text) throws JsonProcessingException {
        return IngestJson.mapper().readValue(IngestJson.mapper().writeValueAsString(text), Instant.class);
    }

    /** The text in the three common shapes: UTC, with an offset, and with a fraction of 1 to 9 digits. */
    static List<String> commonShapes(Instant instant, Random random) {
        String utc = DateTimeFormatter.ISO_INSTANT.format(instant);
        int offsetMinutes = (random.nextInt(35) - 17) * 60 + (random.nextBoolean() ? 0 : random.nextInt(60));
        String withOffset = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)));
        int digits = 1 + random.nextInt(9);
        String fraction = String.format("%09d", instant.getNano()).substring(0, digits);
        String plain = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC)).substring(0, 19);
        return List.of(utc, withOffset, plain + "." + fraction + "Z", plain + "." + fraction + "+02:00", plain + "Z");
    }

    static Instant randomInstant(Random random) {
        long second = random.nextInt(4) == 0 ? (long) (random.nextDouble() * YEAR_10000) // 1970 to 9999
                : 1_388_534_400L + (long) (random.nextDouble() * 400_000_000L); // 2014 to 2026
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(second, nanos);
    }

    @Test
    void theCommonShapesReadAsJsr310ReadsThem() throws Exception {
        Random random = new Random(20261129L);
        List<Instant> instants = new ArrayList<>(realTimes);
        for (int i = 0; i < 4_000; i++) {
            instants.add(randomInstant(random));
        }
        instants.addAll(List.of(Instant.EPOCH, Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("2000-02-29T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z")));
        int taken = 0;
        for (Instant instant : instants) {
            for (String text : commonShapes(instant, random)) {
                Instant fast = IsoInstants.parseCommon(text);
                assertThat(fast).as(text).isNotNull().isEqualTo(jsr310(text));
                assertThat(ingest(text)).as(text).isEqualTo(fast);
                taken++;
            }
        }
        assertThat(taken).isGreaterThan(50_000);
    }

    @Test
    void everyOtherShapeIsLeftToJsr310() throws Exception {
        List<String> others = List.of("2025-11-08T21:00Z", "2025-11-08t21:00:00z", "2025-11-08T21:00:00z",
                "2025-11-08 21:00:00Z", "2025-11-08T24:00:00Z", "2025-12-31T23:59:60Z", "2025-02-29T00:00:00Z",
                "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z", "2025-11-00T00:00:00Z",
                "2025-11-08T21:00:00.Z", "2025-11-08T21:00:00.1234567890Z", "2025-11-08T21:00:00+0200",
                "2025-11-08T21:00:00+02", "2025-11-08T21:00:00+18:00", "2025-11-08T21:00:00-18:00",
                "2025-11-08T21:00:00+02:00:30", "2025-11-08T21:00:00+02:60", " 2025-11-08T21:00:00Z",
                "2025-11-08T21:00:00Z ", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2025-1-08T21:00:00Z",
                "２０２５-11-08T21:00:00Z", "2025-11-08T21:00:00", "2025-11-08", "2025-11-08T21:00:00ZZ",
                "2025-11-08T21:00:00+02:00Z", "2025-11-08T21:0a:00Z", "");
        for (String text : others) {
            assertThat(IsoInstants.parseCommon(text)).as(text).isNull();
            Object expected = outcome(() -> jsr310(text));
            Object actual = outcome(() -> ingest(text));
            if (expected instanceof Instant) {
                assertThat(actual).as(text).isEqualTo(expected);
            } else {
                assertThat(actual).as(text).isNotInstanceOf(Instant.class);
            }
        }
        assertThat(IsoInstants.parseCommon("1767893400")).isNull();
        assertThat(outcome(() -> ingest("1767893400"))).as("a number in a string, refused before jsr310 reads it")
                .isNotInstanceOf(Instant.class);
        assertThat(IsoInstants.parseCommon("2025-11-08T21:00:00-00:00")).isEqualTo(jsr310("2025-11-08T21:00:00-00:00"));
        assertThat(IsoInstants.parseCommon("2025-11-08T21:00:00+17:59")).isEqualTo(jsr310("2025-11-08T21:00:00+17:59"));
    }

    interface Read {
        Instant read() throws Exception;
    }

    static Object outcome(Read read) {
        try {
            return read.read();
        } catch (Exception e) {
            return e.getClass();
        }
    }

    @Test
    void writingIsInstantToString() {
        Random random = new Random(20261130L);
        List<Instant> instants = new ArrayList<>(realTimes);
        for (int i = 0; i < 50_000; i++) {
            instants.add(randomInstant(random));
            instants.add(Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, random.nextInt(1_000_000_000)));
        }
        instants.addAll(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(YEAR_10000 - 1, 1),
                Instant.ofEpochSecond(YEAR_10000), Instant.MIN, Instant.MAX, Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(59, 100_000_000), Instant.ofEpochSecond(3600, 1000)));
        StringBuilder out = new StringBuilder();
        for (Instant instant : instants) {
            out.setLength(0);
            assertThat(IsoInstants.append(out.append('|'), instant).toString()).isEqualTo("|" + instant);
        }
    }
}
