package io.conflictmon.schemas.serde;

import java.nio.ByteBuffer;

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary body. */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {
    }

    /** The schema id in the header; the bytes must hold a full header with magic byte 0. */
    public static int schemaId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, ID_SIZE).getInt();
    }
}
