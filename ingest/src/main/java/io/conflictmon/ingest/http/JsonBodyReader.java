package io.conflictmon.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.conflictmon.ingest.model.IngestJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into its reports: one JSON object, or an array of them. Each item keeps the exact bytes it
 * was sent as (for the dead-letter topic: "the raw input exactly as received"), taken from the parser's byte offsets.
 *
 * <p>The mapper is {@link IngestJson}'s strict one with tight {@link StreamReadConstraints} for untrusted input: no
 * report nests deeper than 2 levels or holds a string above a few KiB, so a deeply nested or giant document is refused
 * as {@code json-limits} before it costs memory or stack. An array is counted while it is read, and reading stops at the
 * first item past the limit.
 */
final class JsonBodyReader {
    /** Reports nest 2 levels (report, targetRegions); the slack lets a wrong nesting reach the mapper's field errors. */
    static final int MAX_NESTING_DEPTH = 16;
    /** The longest valid text field is 2,000 characters (sourceRef); longer ones still get a field error up to here. */
    static final int MAX_STRING_LENGTH = 16 * 1024;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 1_000;

    private final ObjectMapper mapper;
    /** Reads one value of a body; trailing tokens are checked here, after the whole body (items follow items). */
    private final ObjectReader treeReader;
    private final int maxItems;

    JsonBodyReader(long maxBodyBytes, int maxItems) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxDocumentLength(maxBodyBytes)
                .build();
        this.mapper = IngestJson.mapper().copy(); // its own factory, so the limits stay off the importers' mapper
        this.mapper.getFactory().setStreamReadConstraints(limits);
        this.treeReader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxItems = maxItems;
    }

    /** The mapper with the HTTP limits, for turning the items into report inputs. */
    ObjectMapper mapper() {
        return mapper;
    }

    /** One report of the body, its index in the array (0 for a single object) and its bytes as sent. */
    record Item(int index, JsonNode node, byte[] raw) {
    }

    /** The items, and whether the body was an array (paths of errors then start with the index). */
    record Body(boolean batch, List<Item> items) {
    }

    /**
     * @throws ApiError 400 {@code empty-body}, {@code malformed-json}, {@code json-limits}, {@code wrong-type};
     *                  413 {@code too-many-items}
     */
    Body read(byte[] body) {
        try (JsonParser parser = mapper.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ApiError(400, ApiError.EMPTY_BODY, "the request body is empty: send one report as a JSON "
                        + "object or several as a JSON array");
            }
            Body result;
            if (first == JsonToken.START_OBJECT) {
                result = new Body(false, List.of(new Item(0, treeReader.readTree(parser), body)));
            } else if (first == JsonToken.START_ARRAY) {
                result = new Body(true, items(parser, body));
            } else {
                throw new ApiError(400, ApiError.WRONG_TYPE, "the body must be a JSON object (one report) or a JSON "
                        + "array of report objects; got " + describe(first));
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new ApiError(400, ApiError.MALFORMED_JSON, "not valid JSON: unexpected " + describe(trailing)
                        + " after the end of the top-level value");
            }
            return result;
        } catch (StreamConstraintsException e) {
            throw new ApiError(400, ApiError.JSON_LIMITS, "the JSON exceeds a limit of this API: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ApiError(400, ApiError.MALFORMED_JSON, IngestJson.syntaxError(e));
        } catch (IOException e) {
            // Parsing a byte array does no I/O; only a JsonProcessingException can reach here in practice.
            throw new ApiError(400, ApiError.MALFORMED_JSON, "not valid JSON: " + e.getMessage());
        }
    }

    private List<Item> items(JsonParser parser, byte[] body) throws IOException {
        List<Item> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new ApiError(400, ApiError.MALFORMED_JSON, "not valid JSON: the array is not closed");
            }
            if (items.size() == maxItems) {
                throw new ApiError(413, ApiError.TOO_MANY_ITEMS, "at most " + maxItems
                        + " reports per request; this array holds more: split it into several requests");
            }
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode node = treeReader.readTree(parser);
            long end = parser.currentLocation().getByteOffset();
            byte[] raw = start >= 0 && end > start && end <= body.length
                    ? Arrays.copyOfRange(body, (int) start, (int) end)
                    : mapper.writeValueAsBytes(node); // no byte offsets (not UTF-8 input): the parsed form
            items.add(new Item(items.size(), node, raw));
        }
        if (items.isEmpty()) {
            throw new ApiError(400, ApiError.EMPTY_BODY, "the array holds no reports");
        }
        return items;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
