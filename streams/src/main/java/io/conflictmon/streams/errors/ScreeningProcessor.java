package io.conflictmon.streams.errors;

import io.conflictmon.avro.FieldError;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.streams.metrics.StreamsMetrics;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates deserialized input and marks each record accepted or rejected; the topology routes the
 * rejected ones to the dead-letter topic. The payload of a rejection is the value serialized again
 * with the input serde: the deserializer has consumed the original bytes by now, and the
 * re-serialized record carries the same fields (under the reader's schema id).
 */
public final class ScreeningProcessor<V> implements FixedKeyProcessor<String, V, Screened<V>> {

  private static final Logger LOG = LoggerFactory.getLogger(ScreeningProcessor.class);

  private final Validator<V> validator;
  private final Serializer<V> payloadSerializer;
  private final StreamsMetrics metrics;
  private FixedKeyProcessorContext<String, Screened<V>> context;

  public ScreeningProcessor(Validator<V> validator, Serializer<V> payloadSerializer, StreamsMetrics metrics) {
    this.validator = validator;
    this.payloadSerializer = payloadSerializer;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Screened<V>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, V> record) {
    List<FieldError> errors = validator.validate(record.key(), record.value());
    if (errors.isEmpty()) {
      context.forward(record.withValue(Screened.accepted(record.value())));
      return;
    }
    RecordMetadata input = context.recordMetadata()
        .orElseThrow(() -> new IllegalStateException("validation runs on input records, which always have metadata"));
    byte[] payload = serializedPayload(input.topic(), record.value());
    String reason = RejectedRecords.describe(errors);
    RejectedRecord rejection = RejectedRecords.fromInput(input.topic(), input.partition(), input.offset(),
        RejectedRecords.VALIDATION, reason, errors, payload, Instant.ofEpochMilli(context.currentSystemTimeMs()));
    LOG.warn("Rejected {} (key {}): {}", rejection.getSourceId(), record.key(), reason);
    metrics.deadLettered(RejectedRecords.VALIDATION);
    context.forward(record.withValue(Screened.rejected(rejection)));
  }

  private byte[] serializedPayload(String topic, V value) {
    if (value == null) {
      return new byte[0];
    }
    try {
      return payloadSerializer.serialize(topic, value);
    } catch (RuntimeException e) {
      LOG.warn("Could not serialize the rejected value of {} again; its payload stays empty", topic, e);
      return new byte[0];
    }
  }
}
