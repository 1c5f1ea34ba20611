package io.conflictmon.ingest.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import java.io.IOException;
import java.util.regex.Pattern;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.validation.FieldError;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The JSON mapping of the ingest API and of JSON Lines imports, strict about types so that bad input is refused with
 * a field path instead of being coerced: counts must be JSON integers ({@code 3.5} and {@code "3"} are refused),
 * unknown fields are refused (a typo such as {@code lauched} would otherwise drop a value silently), times are
 * ISO-8601 instants or date-times with an offset, dates are ISO dates (as JSON strings: jsr310 alone would also read
 * {@code 1767893400} and {@code "1767893400"} as epoch seconds and {@code [2025,1,1]} as a date), and a field given twice
 * is a syntax error rather than the last value winning.
 */
public final class IngestJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // {"launched": 242, "launched": 5} would otherwise silently keep the last value
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule("iso-text-times")
                    .addDeserializer(Instant.class, new IsoTextOnly<>(Instant.class, InstantDeserializer.INSTANT))
                    .addDeserializer(LocalDate.class, new IsoTextOnly<>(LocalDate.class, LocalDateDeserializer.INSTANCE)))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private IngestJson() {
    }

    /**
     * Reads a time only from a JSON string that is not a bare number, then as jsr310 does; an instant in the common
     * shape ({@link IsoInstants#parseCommon}) is read without jsr310's formatter, to the same value.
     */
    private static final class IsoTextOnly<T> extends StdDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private static final Pattern NUMBER = Pattern.compile("\\s*[-+]?[0-9.]+([eE][-+]?[0-9]+)?\\s*");
        private final transient JsonDeserializer<? extends T> iso;

        IsoTextOnly(Class<T> type, JsonDeserializer<? extends T> iso) {
            super(type);
            this.iso = iso;
        }

        @Override
        @SuppressWarnings("unchecked") // handledType() is Instant
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (handledType() == Instant.class && parser.currentToken() == JsonToken.VALUE_STRING) {
                Instant common = IsoInstants.parseCommon(parser.getText()); // the usual shape, without a formatter
                if (common != null) {
                    return (T) common;
                }
            }
            if (parser.currentToken() != JsonToken.VALUE_STRING || NUMBER.matcher(parser.getText()).matches()) {
                return context.reportInputMismatch(this, "expected an ISO-8601 text, got %s",
                        parser.currentToken() == JsonToken.VALUE_STRING ? "a number in a string" : parser.currentToken());
            }
            return iso.deserialize(parser, context);
        }
    }

    /** Readers of the report types: an ObjectReader resolves its deserializer once, not on every row. */
    private static final ObjectReader STRIKE_READER = MAPPER.readerFor(StrikeReportInput.class);
    private static final ObjectReader CASUALTY_READER = MAPPER.readerFor(CasualtyReportInput.class);

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The mapper's reader of one strike report (thread-safe). */
    public static ObjectReader strikeReader() {
        return STRIKE_READER;
    }

    /** The mapper's reader of one casualty report (thread-safe). */
    public static ObjectReader casualtyReader() {
        return CASUALTY_READER;
    }

    /**
     * The field errors a mapping failure stands for, or empty when the text is not JSON at all (a syntax error,
     * to be reported as unparseable).
     */
    public static Optional<List<FieldError>> fieldErrors(JsonProcessingException e) {
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
            return Optional.empty();
        }
        String path = path(mapping.getPath());
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            return Optional.of(List.of(new FieldError(path, "unknown field; allowed fields: "
                    + knownNames(unknown.getKnownPropertyIds()))));
        }
        if (mapping instanceof MismatchedInputException mismatch) {
            if (mapping.getPath().isEmpty()) {
                return Optional.of(List.of(new FieldError("$", "must be a JSON object")));
            }
            return Optional.of(List.of(new FieldError(path, expectation(mismatch))));
        }
        return Optional.of(List.of(new FieldError(path.isEmpty() ? "$" : path, firstLine(mapping.getOriginalMessage()))));
    }

    /** One-line description of a syntax error, for the reason of an unparseable record. */
    public static String syntaxError(JsonProcessingException e) {
        return "not valid JSON: " + firstLine(e.getOriginalMessage())
                + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr());
    }

    private static String expectation(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        String got = e instanceof InvalidFormatException invalid && invalid.getValue() != null
                ? "; got '" + invalid.getValue() + "'" : "";
        if (target == null) {
            return firstLine(e.getOriginalMessage());
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "must be a whole number (a JSON integer such as 12)" + got;
        }
        if (target == Instant.class) {
            return "must be an ISO-8601 instant (2026-01-08T17:30:00Z) or date-time with offset "
                    + "(2026-01-08T19:30:00+02:00)" + got;
        }
        if (target == LocalDate.class) {
            return "must be an ISO date (2025-01-31)" + got;
        }
        if (target == TimePrecision.class) {
            return "must be MINUTE or DAY" + got; // UNKNOWN is the schema's fallback for readers, not an input
        }
        if (target.isEnum()) {
            return "must be one of " + Arrays.toString(target.getEnumConstants()) + got;
        }
        if (target == String.class) {
            return "must be a string" + got;
        }
        if (List.class.isAssignableFrom(target) || Collection.class.isAssignableFrom(target)) {
            return "must be an array of strings" + got;
        }
        return "must be " + target.getSimpleName() + got;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String knownNames(Collection<Object> ids) {
        List<String> names = new ArrayList<>();
        if (ids != null) {
            ids.forEach(id -> names.add(String.valueOf(id)));
        }
        names.sort(null);
        return names.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
