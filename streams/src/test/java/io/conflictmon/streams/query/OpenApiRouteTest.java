package io.conflictmon.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-written OpenAPI document is served and stays in step with the routes and the JSON records. */
class OpenApiRouteTest {

  private static final JsonNode DOCUMENT = read();

  private static JsonNode read() {
    try {
      return QueryTestData.JSON.readTree(OpenApiRoute.document());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void isAnOpenApi3DocumentWithEveryGetRoute() {
    assertThat(DOCUMENT.get("openapi").asText()).startsWith("3.");
    for (String path : List.of(QueryApi.WAVES_PATH, QueryApi.LATEST_WAVE_PATH, QueryApi.WAVE_PATH,
        QueryApi.STRIKE_TOTALS_PATH, QueryApi.CASUALTY_TOTALS_PATH, QueryApi.CASUALTY_YOY_PATH, QueryApi.ALERTS_PATH, StreamEvents.PATH,
        OpenApiRoute.PATH)) {
      assertThat(DOCUMENT.get("paths").has(path)).as(path).isTrue();
      assertThat(DOCUMENT.get("paths").get(path).has("get")).as(path).isTrue();
    }
    // Every $ref points at a schema that exists.
    List<String> refs = new ArrayList<>();
    collectRefs(DOCUMENT, refs);
    assertThat(refs).isNotEmpty().allSatisfy(ref ->
        assertThat(DOCUMENT.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
  }

  static Stream<Arguments> schemas() {
    return Stream.of(
        Arguments.of("Wave", QueryJson.Wave.class),
        Arguments.of("Waves", QueryJson.Waves.class),
        Arguments.of("StrikeTotal", QueryJson.StrikeTotal.class),
        Arguments.of("StrikeTotalsList", QueryJson.StrikeTotalsList.class),
        Arguments.of("CasualtyTotal", QueryJson.CasualtyTotal.class),
        Arguments.of("CasualtyTotalsList", QueryJson.CasualtyTotalsList.class),
        Arguments.of("YearOnYear", QueryJson.YearOnYear.class),
        Arguments.of("Alert", QueryJson.Alert.class),
        Arguments.of("Alerts", QueryJson.Alerts.class),
        Arguments.of("Error", QueryError.Body.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemas")
  void schemaHasExactlyTheFieldsTheApiWrites(String schema, Class<? extends Record> type) {
    List<String> documented = new ArrayList<>();
    DOCUMENT.at("/components/schemas/" + schema + "/properties").fieldNames().forEachRemaining(documented::add);
    List<String> written = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void isServed() {
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
    });
    OpenApiRoute.register(app);
    app.start("127.0.0.1", 0);
    try {
      QueryTestData.Answer answer = QueryTestData.get("http://127.0.0.1:" + app.port() + OpenApiRoute.PATH);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("Content-Type")).startsWith("application/json");
      assertThat(answer.json()).isEqualTo(DOCUMENT);
    } finally {
      app.stop();
    }
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (field.getKey().equals("$ref")) {
          refs.add(field.getValue().asText());
        } else {
          collectRefs(field.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
