package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.importer.JsonLinesParser;
import io.conflictmon.ingest.importer.ParsedRow;
import io.conflictmon.ingest.model.CasualtyReportInput;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.testutil.FuzzInputs;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.specific.SpecificRecord;

/**
 * Property-based fuzzing of the JSON input path: {@link JsonBodyReader} on any body refuses only with an
 * {@link ApiError} of status 400 or 413; each item it returns maps to a report input or fails with the exceptions
 * {@code IngestApi} turns into field errors (a {@link JsonProcessingException}, or the {@link IllegalArgumentException}
 * {@code treeToValue} wraps one in), and a report that passes {@link ReportValidator} always becomes an Avro record
 * (an exception there would be a 500). {@link JsonLinesParser} turns every line into an accepted or rejected row.
 * The end-to-end version, over HTTP, is {@code BadInputBatteryTest#fuzzedBodiesNeverGetA5xx}.
 */
class JsonInputFuzzTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);

    final JsonBodyReader reader = new JsonBodyReader(1024 * 1024, 50);
    final ReportMapper mapper = new ReportMapper(WeaponClassifier.bundled());
    final ReportValidator validator = new ReportValidator(CLOCK);

    @Property(tries = 800)
    void aBodyIsReportsOrA4xx(@ForAll("documents") String document) {
        JsonBodyReader.Body body;
        try {
            body = reader.read(document.getBytes(StandardCharsets.UTF_8));
        } catch (ApiError e) {
            assertThat(e.status()).isIn(400, 413);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(body.items()).isNotEmpty();
        for (JsonBodyReader.Item item : body.items()) {
            assertThat(item.raw()).isNotEmpty();
            if (item.node().isObject()) {
                decode(item.node(), StrikeReportInput.class);
                decode(item.node(), CasualtyReportInput.class);
            }
        }
    }

    @Property(tries = 500)
    void everyJsonLineIsAcceptedOrRejected(@ForAll("documents") String line) {
        assertEveryLineIsARow(JsonLinesParser.strikes(mapper, validator, CLOCK.instant(), "fuzz.jsonl"), line);
        assertEveryLineIsARow(JsonLinesParser.casualties(mapper, validator, CLOCK.instant(), "fuzz.jsonl"), line);
    }

    @Provide
    Arbitrary<String> documents() {
        return FuzzInputs.jsonDocument();
    }

    /** What IngestApi.decode does with an item; only the exceptions it handles may escape the mapping. */
    private void decode(JsonNode node, Class<?> type) {
        Object input;
        try {
            input = reader.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            List<FieldError> errors = IngestJson.fieldErrors(e).orElseGet(() -> List.of(new FieldError("$",
                    IngestJson.syntaxError(e))));
            assertThat(errors).isNotEmpty().allSatisfy(error -> assertThat(error.message()).isNotBlank());
            return;
        } catch (IllegalArgumentException e) {
            return;
        }
        Instant now = CLOCK.instant();
        if (input instanceof StrikeReportInput strike) {
            StrikeReportInput filled = mapper.withDefaults(strike);
            if (validator.validate(filled).isEmpty()) {
                assertThat(ReportMapper.toAvro(filled, now).getId()).isEqualTo(filled.id());
            }
        } else {
            CasualtyReportInput filled = mapper.withDefaults((CasualtyReportInput) input);
            if (validator.validate(filled).isEmpty()) {
                assertThat(ReportMapper.toAvro(filled, now).getId()).isEqualTo(filled.id());
            }
        }
    }

    private static <R extends SpecificRecord> void assertEveryLineIsARow(JsonLinesParser<R> parser, String text) {
        long lines = text.lines().filter(l -> !l.isBlank()).count();
        try (Stream<ParsedRow<R>> rows = parser.parse(new StringReader(text))) {
            List<ParsedRow<R>> all = rows.toList();
            assertThat(all).hasSize((int) lines);
            for (ParsedRow<R> row : all) {
                if (row instanceof ParsedRow.Rejected<R> rejected) {
                    assertThat(rejected.reasonCode()).isIn(ParsedRow.PARSE, ParsedRow.VALIDATION);
                    assertThat(rejected.reason()).isNotBlank();
                } else {
                    R report = ((ParsedRow.Accepted<R>) row).report();
                    assertThat(report).isInstanceOfAny(StrikeReport.class, CasualtyReport.class);
                }
            }
        }
    }
}
