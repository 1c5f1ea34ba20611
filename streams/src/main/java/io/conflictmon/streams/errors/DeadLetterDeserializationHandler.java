package io.conflictmon.streams.errors;

import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.schemas.serde.WireFormatException;
import io.conflictmon.streams.metrics.StreamsMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends input records that do not deserialize (not our wire format, unknown schema id, undecodable
 * body) to the dead-letter topic as a {@link RejectedRecord} and lets processing continue, using the
 * dead-letter support of Kafka Streams' handlers (KIP-1034: the handler returns the DLQ records and
 * Streams produces them in the same transaction as the task's output). The built-in handlers would
 * write the raw bytes with headers; ours writes our Avro contract, which the DLQ consumers read.
 *
 * <p>When the registry cannot be reached the record is not bad: the handler fails the task instead
 * of dead-lettering it, so it is read again after the restart.
 *
 * <p>Configured through the streams config (see {@code StreamsSettings}): {@link #DLQ_TOPIC_CONFIG},
 * {@link #SERIALIZER_CONFIG} (a {@code Serializer<RejectedRecord>} instance) and optionally
 * {@link #METRICS_CONFIG} (a {@link StreamsMetrics} instance).
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  public static final String DLQ_TOPIC_CONFIG = "conflictmon.dlq.topic";
  public static final String SERIALIZER_CONFIG = "conflictmon.dlq.serializer";
  public static final String METRICS_CONFIG = "conflictmon.streams.metrics";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private String dlqTopic;
  private Serializer<RejectedRecord> serializer;
  private StreamsMetrics metrics;

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(DLQ_TOPIC_CONFIG);
    Object configuredSerializer = configs.get(SERIALIZER_CONFIG);
    if (!(topic instanceof String) || ((String) topic).isBlank()) {
      throw new ConfigException(DLQ_TOPIC_CONFIG, topic, "the dead-letter topic name is required");
    }
    if (!(configuredSerializer instanceof Serializer)) {
      throw new ConfigException(SERIALIZER_CONFIG, configuredSerializer,
          "a Serializer<RejectedRecord> instance is required (StreamsSettings puts one in the config)");
    }
    this.dlqTopic = (String) topic;
    this.serializer = (Serializer<RejectedRecord>) configuredSerializer;
    Object configuredMetrics = configs.get(METRICS_CONFIG);
    this.metrics = configuredMetrics instanceof StreamsMetrics m ? m : StreamsMetrics.noop();
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String reasonCode = exception instanceof WireFormatException wire ? wire.reasonCode() : RejectedRecords.UNDECODABLE;
    if (exception instanceof WireFormatException wire && wire.reason() == WireFormatException.Reason.REGISTRY_UNAVAILABLE) {
      LOG.error("Cannot deserialize {}-{}@{}: the schema registry is unavailable; failing the task so the record is read again",
          record.topic(), record.partition(), record.offset(), exception);
      return Response.fail();
    }
    RejectedRecord rejected = RejectedRecords.fromInput(record.topic(), record.partition(), record.offset(), reasonCode,
        "could not deserialize: " + exception.getMessage(), List.of(), record.value(), Instant.now());
    byte[] value;
    try {
      value = serializer.serialize(dlqTopic, rejected);
    } catch (RuntimeException e) {
      LOG.error("Cannot write {} to the dead-letter topic {}: {}; failing the task so the record is not lost",
          rejected.getSourceId(), dlqTopic, e.getMessage(), e);
      return Response.fail();
    }
    LOG.warn("Dead-lettered {} to {} ({}): {}", rejected.getSourceId(), dlqTopic, reasonCode, exception.getMessage());
    metrics.deadLettered(reasonCode);
    return Response.resume(List.of(new ProducerRecord<>(dlqTopic, null,
        rejected.getSourceId().getBytes(StandardCharsets.UTF_8), value)));
  }
}
