package io.conflictmon.streams.errors;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.streams.testing.TestReports.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.FieldError;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.Topics;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.testing.TopologyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Poison and invalid input lands in the dead-letter topic as a RejectedRecord, and processing goes on. */
class DeadLetterTest {

  @TempDir
  Path stateDir;

  static final StrikeReport GOOD = minute("good", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 242, 226);

  enum Poison {
    RANDOM_BYTES("bad-wire-format") {
      @Override
      byte[] bytes(byte[] valid) {
        byte[] random = new byte[64];
        new Random(42).nextBytes(random);
        random[0] = 0x7f; // not the magic byte, whatever the seed gives
        return random;
      }
    },
    WRONG_MAGIC_BYTE("bad-wire-format") {
      @Override
      byte[] bytes(byte[] valid) {
        byte[] copy = valid.clone();
        copy[0] = 1;
        return copy;
      }
    },
    TRUNCATED_HEADER("bad-wire-format") {
      @Override
      byte[] bytes(byte[] valid) {
        return Arrays.copyOf(valid, 3);
      }
    },
    UNKNOWN_SCHEMA_ID("unknown-schema-id") {
      @Override
      byte[] bytes(byte[] valid) {
        byte[] copy = valid.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(987_654);
        return copy;
      }
    },
    UNDECODABLE_BODY("undecodable") {
      @Override
      byte[] bytes(byte[] valid) {
        byte[] copy = Arrays.copyOf(valid, 5 + 3);
        copy[5] = (byte) 0xff;
        copy[6] = (byte) 0xff;
        copy[7] = (byte) 0xff;
        return copy;
      }
    };

    final String reasonCode;

    Poison(String reasonCode) {
      this.reasonCode = reasonCode;
    }

    abstract byte[] bytes(byte[] valid);
  }

  /**
   * The TopologyTestDriver drops the dead-letter records a deserialization handler returns when it
   * runs under exactly_once_v2 (under at_least_once it keeps them), so this test runs the handler
   * under at_least_once; StreamsServiceBrokerTest proves the same on a real broker under exactly-once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("poisons")
  void poisonRecordGoesToTheDlqAndProcessingContinues(Poison poison) {
    try (TopologyFixture fixture = new TopologyFixture(stateDir, TopologySettings.DEFAULT_WAVE_GAP, false,
        Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE))) {
      byte[] valid = fixture.serdes.strikeReport().serializer().serialize(Topics.STRIKE_REPORTS, GOOD);
      byte[] poisoned = poison.bytes(valid);
      fixture.putRawStrike("poisoned", poisoned);
      fixture.put(GOOD);

      List<KeyValue<String, RejectedRecord>> dlq = fixture.drainDlq();
      assertThat(dlq).hasSize(1);
      RejectedRecord rejected = dlq.get(0).value;
      assertThat(dlq.get(0).key).isEqualTo(Topics.STRIKE_REPORTS + "-0@0").isEqualTo(rejected.getSourceId());
      assertThat(rejected.getReasonCode()).isEqualTo(poison.reasonCode);
      assertThat(rejected.getSource()).isEqualTo(Topics.STRIKE_REPORTS);
      assertThat(rejected.getTopic()).isEqualTo(Topics.STRIKE_REPORTS);
      assertThat(rejected.getPartition()).isZero();
      assertThat(rejected.getOffset()).isZero();
      assertThat(bytes(rejected.getPayload())).isEqualTo(poisoned);
      assertThat(rejected.getReason()).startsWith("could not deserialize");
      assertThat(fixture.counter(StreamsMetrics.DLQ_RECORDS, StreamsMetrics.TAG_REASON, poison.reasonCode)).isEqualTo(1);

      assertThat(fixture.wavesInStore()).as("the good record after the poison is counted").hasSize(1);
    }
  }

  static Stream<Poison> poisons() {
    return Stream.of(Poison.values());
  }

  static Stream<Arguments> invalidReports() {
    return Stream.of(
        Arguments.of("negative launched", GOOD.getId(), StrikeReport.newBuilder(GOOD).setLaunched(-1).setDestroyed(null).build(), "launched"),
        Arguments.of("end before start", GOOD.getId(),
            StrikeReport.newBuilder(GOOD).setTimeEnd(GOOD.getTimeStart().minusSeconds(60)).build(), "timeEnd"),
        Arguments.of("destroyed above launched", GOOD.getId(), StrikeReport.newBuilder(GOOD).setDestroyed(243).build(), "destroyed"),
        Arguments.of("key is not the id", "other-key", GOOD, "id"),
        Arguments.of("a timed window of two weeks", GOOD.getId(),
            StrikeReport.newBuilder(GOOD).setTimeEnd(GOOD.getTimeStart().plusSeconds(14 * 86_400)).build(), "timeEnd"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidReports")
  void invalidReportGoesToTheDlqWithItsFieldErrors(String name, String key, StrikeReport report, String field) {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.putWithKey(key, report);
      fixture.put(minute("next", "2026-01-10 19:30", "2026-01-11 09:00", ATTACK_DRONE, "Shahed-136/131", 1, 1));

      List<KeyValue<String, RejectedRecord>> dlq = fixture.drainDlq();
      assertThat(dlq).hasSize(1);
      RejectedRecord rejected = dlq.get(0).value;
      assertThat(rejected.getReasonCode()).isEqualTo(RejectedRecords.VALIDATION);
      assertThat(rejected.getFieldErrors()).extracting(FieldError::getPath).containsExactly(field);
      assertThat(rejected.getReason()).contains(field);
      assertThat(rejected.getSourceId()).isEqualTo(Topics.STRIKE_REPORTS + "-0@0");
      StrikeReport payload = fixture.serdes.strikeReport().deserializer()
          .deserialize(Topics.STRIKE_REPORTS, bytes(rejected.getPayload()));
      assertThat(payload).as("the payload is the rejected report").isEqualTo(report);
      assertThat(fixture.strikeTotalsInStore()).as("nothing of the invalid report is counted")
          .allSatisfy((period, totals) -> assertThat(totals.getReportCount()).isEqualTo(1));
      assertThat(fixture.wavesInStore()).hasSize(1);
    }
  }

  @Test
  void invalidCasualtyReportGoesToTheDlq() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(io.conflictmon.streams.testing.TestReports.casualty("spans-months", "ohchr", "2025-01-15", "2025-02-15", 1, 1));
      fixture.put(io.conflictmon.streams.testing.TestReports.casualty("slash", "oh/chr", "2025-01-15", "2025-01-15", 1, 1));
      assertThat(fixture.drainDlq()).extracting(kv -> kv.value.getFieldErrors().get(0).getPath())
          .containsExactly("periodEnd", "source");
      assertThat(fixture.casualtyTotalsInStore()).isEmpty();
    }
  }

  @Test
  void aTombstoneIsAValidRetraction() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(GOOD);
      fixture.retractStrike(GOOD.getId());
      assertThat(fixture.drainDlq()).isEmpty();
      assertThat(fixture.wavesInStore()).isEmpty();
    }
  }

  @Test
  void rejectedRecordsCarryTheInputCoordinates() {
    RejectedRecord record = RejectedRecords.fromInput("t", 3, 17, "validation", "bad", List.of(),
        "x".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    assertThat(record.getSourceId()).isEqualTo("t-3@17");
    assertThat(record.getPartition()).isEqualTo(3);
    assertThat(record.getOffset()).isEqualTo(17);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
