package io.conflictmon.schemas;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.schemas.registry.InMemorySchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.conflictmon.schemas.serde.AvroSerde;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The value serdes of the pipeline's topics, all on one registry client (keys are UTF-8 strings:
 * {@link #key()}). The client stays owned by the caller.
 */
public final class TopicSerdes {
    private final SchemaRegistryClient client;
    private final boolean autoRegister;
    private final Serde<StrikeReport> strikeReport;
    private final Serde<CasualtyReport> casualtyReport;
    private final Serde<RejectedRecord> rejectedRecord;
    private final Serde<WaveSummary> waveSummary;
    private final Serde<StrikeTotals> strikeTotals;
    private final Serde<CasualtyTotals> casualtyTotals;
    private final Serde<EscalationAlert> escalationAlert;

    public TopicSerdes(SchemaRegistryClient client, boolean autoRegister) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
        this.strikeReport = value(StrikeReport.class);
        this.casualtyReport = value(CasualtyReport.class);
        this.rejectedRecord = value(RejectedRecord.class);
        this.waveSummary = value(WaveSummary.class);
        this.strikeTotals = value(StrikeTotals.class);
        this.casualtyTotals = value(CasualtyTotals.class);
        this.escalationAlert = value(EscalationAlert.class);
    }

    /** Serdes on a fresh in-memory registry with auto-registration, for unit tests. */
    public static TopicSerdes inMemory() {
        return new TopicSerdes(new InMemorySchemaRegistryClient(), true);
    }

    /** A value serde of any generated record class on this client. */
    public <T extends SpecificRecord> Serde<T> value(Class<T> type) {
        return new AvroSerde<>(type, client, false, autoRegister);
    }

    /** Key serde of every topic: plain UTF-8 strings. */
    public Serde<String> key() {
        return Serdes.String();
    }

    public SchemaRegistryClient client() {
        return client;
    }

    public Serde<StrikeReport> strikeReport() {
        return strikeReport;
    }

    public Serde<CasualtyReport> casualtyReport() {
        return casualtyReport;
    }

    public Serde<RejectedRecord> rejectedRecord() {
        return rejectedRecord;
    }

    public Serde<WaveSummary> waveSummary() {
        return waveSummary;
    }

    public Serde<StrikeTotals> strikeTotals() {
        return strikeTotals;
    }

    public Serde<CasualtyTotals> casualtyTotals() {
        return casualtyTotals;
    }

    public Serde<EscalationAlert> escalationAlert() {
        return escalationAlert;
    }
}
