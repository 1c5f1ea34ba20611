package io.conflictmon.ingest.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Content fingerprints of records: 64 bits of SHA-256 over the Avro binary encoding of the record with its
 * acceptance time ({@code reportedAt}, {@code rejectedAt}) zeroed. Two records with the same fingerprint say the same
 * thing; re-importing a file gives the same fingerprints although the import time differs.
 *
 * <p>The encoding uses the reader's (this build's) schema, so a record read back from the topic and the record the
 * importer builds are compared field by field. 64 bits suffice: fingerprints are only ever compared between two
 * versions of the same id.
 */
public final class Fingerprints {
    /** Fields that record when the pipeline accepted something, not what it says. */
    public static final Set<String> TIME_OF_ACCEPTANCE_FIELDS = Set.of("reportedAt", "rejectedAt");

    private Fingerprints() {
    }

    public static long of(SpecificRecord record) {
        Schema schema = record.getSchema();
        SpecificData data = record instanceof SpecificRecordBase base ? base.getSpecificData() : SpecificData.get();
        SpecificRecord copy = data.deepCopy(schema, record);
        for (String name : TIME_OF_ACCEPTANCE_FIELDS) {
            Schema.Field field = schema.getField(name);
            if (field != null) {
                copy.put(field.pos(), Instant.EPOCH);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            new SpecificDatumWriter<SpecificRecord>(schema, data).write(copy, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getFullName() + " for its fingerprint", e);
        }
        return ByteBuffer.wrap(sha256().digest(bytes.toByteArray())).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
