package io.conflictmon.ingest.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
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
 *
 * <p>Computed once per imported row and per record of a re-read topic, so it copies nothing: the writer of each
 * schema is kept and writes the epoch in place of the acceptance time, and the buffer and digest are kept per thread.
 * Thread-safe.
 */
public final class Fingerprints {
    /** Fields that record when the pipeline accepted something, not what it says. */
    public static final Set<String> TIME_OF_ACCEPTANCE_FIELDS = Set.of("reportedAt", "rejectedAt");

    private static final Map<Schema, ZeroingWriter> WRITERS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Fingerprints() {
    }

    public static long of(SpecificRecord record) {
        Schema schema = record.getSchema();
        ZeroingWriter writer = WRITERS.computeIfAbsent(schema, s -> new ZeroingWriter(s,
                record instanceof SpecificRecordBase base ? base.getSpecificData() : SpecificData.get()));
        Scratch scratch = SCRATCH.get();
        scratch.bytes.reset();
        try {
            writer.write(record, scratch.encoder);
            scratch.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getFullName() + " for its fingerprint", e);
        }
        return ByteBuffer.wrap(scratch.bytes.sha256(scratch.digest)).getLong();
    }

    /** Writes records of one schema with its top-level acceptance-time fields as {@link Instant#EPOCH}. */
    private static final class ZeroingWriter extends SpecificDatumWriter<SpecificRecord> {
        private final Set<Schema.Field> zeroed = Collections.newSetFromMap(new IdentityHashMap<>());

        ZeroingWriter(Schema schema, SpecificData data) {
            super(schema, data);
            for (String name : TIME_OF_ACCEPTANCE_FIELDS) {
                Schema.Field field = schema.getField(name);
                if (field != null) {
                    zeroed.add(field);
                }
            }
        }

        @Override
        protected void writeField(Object datum, Schema.Field field, Encoder out, Object state) throws IOException {
            if (zeroed.contains(field)) {
                write(field.schema(), Instant.EPOCH, out);
            } else {
                super.writeField(datum, field, out, state);
            }
        }
    }

    /** One thread's buffer, encoder and digest, reused from record to record. */
    private static final class Scratch {
        final DigestibleBytes bytes = new DigestibleBytes();
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        final MessageDigest digest = sha256();
    }

    /** A byte buffer that hands its content to a digest without copying it. */
    private static final class DigestibleBytes extends ByteArrayOutputStream {
        DigestibleBytes() {
            super(512);
        }

        byte[] sha256(MessageDigest digest) {
            digest.reset();
            digest.update(buf, 0, count);
            return digest.digest();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
