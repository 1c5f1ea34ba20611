package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyReaderTest {
    private final JsonBodyReader reader = new JsonBodyReader(1024 * 1024, 3);

    @Test
    void keepsTheExactBytesOfEveryItem() {
        String first = "{ \"source\" : \"kpszsu\",\n  \"launched\": 3 }";
        String second = "{\"region\":\"Київська область\"}";
        String third = "42";
        String body = " [\n" + first + " ,\t" + second + "," + third + "]\n";
        JsonBodyReader.Body parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.batch()).isTrue();
        assertThat(parsed.items()).extracting(i -> new String(i.raw(), StandardCharsets.UTF_8))
                .containsExactly(first, second, third);
        assertThat(parsed.items()).extracting(JsonBodyReader.Item::index).containsExactly(0, 1, 2);
        assertThat(parsed.items().get(1).node().get("region").textValue()).isEqualTo("Київська область");
    }

    @Test
    void aSingleObjectIsOneItemWithTheWholeBody() {
        byte[] body = "{\"launched\": 1}\n".getBytes(StandardCharsets.UTF_8);
        JsonBodyReader.Body parsed = reader.read(body);
        assertThat(parsed.batch()).isFalse();
        assertThat(parsed.items()).singleElement().satisfies(item -> assertThat(item.raw()).isEqualTo(body));
    }

    @Test
    void refusesBodiesThatAreNotReports() {
        assertRefused("", 400, ApiError.EMPTY_BODY);
        assertRefused("  \n", 400, ApiError.EMPTY_BODY);
        assertRefused("[]", 400, ApiError.EMPTY_BODY);
        assertRefused("{\"launched\": 1", 400, ApiError.MALFORMED_JSON);
        assertRefused("[{\"launched\": 1}", 400, ApiError.MALFORMED_JSON);
        assertRefused("{\"launched\": 1} {}", 400, ApiError.MALFORMED_JSON);
        assertRefused("{'launched': 1}", 400, ApiError.MALFORMED_JSON);
        assertRefused("\"a string\"", 400, ApiError.WRONG_TYPE);
        assertRefused("17", 400, ApiError.WRONG_TYPE);
        assertRefused("null", 400, ApiError.WRONG_TYPE);
    }

    @Test
    void stopsAtTheFirstItemPastTheLimit() {
        // the fourth item is broken JSON: the count is refused before it is read
        assertRefused("[{},{},{},{\"broken", 413, ApiError.TOO_MANY_ITEMS);
    }

    @Test
    void refusesDeepNestingAndGiantStringsBeforeBuildingThem() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertRefused(deep, 400, ApiError.JSON_LIMITS);
        String giant = "{\"source\": \"" + "x".repeat(JsonBodyReader.MAX_STRING_LENGTH + 1) + "\"}";
        assertRefused(giant, 400, ApiError.JSON_LIMITS);
        String longNumber = "{\"launched\": " + "9".repeat(JsonBodyReader.MAX_NUMBER_LENGTH + 1) + "}";
        assertRefused(longNumber, 400, ApiError.JSON_LIMITS);
    }

    private void assertRefused(String body, int status, String code) {
        assertThatThrownBy(() -> reader.read(body.getBytes(StandardCharsets.UTF_8)))
                .as("body %.60s", body)
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }
}
