package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.Severity;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at {@code /} in a real headless Chromium against the whole demo pipeline: empty states before any data;
 * then the numbers of the bundled sample; and a strike report posted while it is open reaches the latest-wave panel
 * and the wave chart over {@code /v1/stream} without a reload, as does an alert to the feed. Leaves screenshots in {@code target/dashboard.png} (wall
 * screen, 1920x1080) and {@code target/dashboard-laptop.png}.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final Path LAPTOP_SCREENSHOT = Path.of("target", "dashboard-laptop.png");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;

    private static DemoStack demo;
    private static ChromeDriver browser;
    private static Path annualCasualties;

    @BeforeAll
    static void startPipelineAndBrowser() throws IOException {
        if (!browserInstalled()) {
            return; // requireBrowser() fails or skips the test, where the report shows it
        }
        demo = DemoStack.start(dataDir, 0, 0, 0);
        browser = startBrowser();
        // Before any data: the empty states, not errors.
        browser.get(demo.httpUrl() + "/");
        new WebDriverWait(browser, WAIT).until(d -> "live".equals(attribute("connection", "data-state"))
                && text("wave-count").equals("no waves yet"));
        assertThat(text("latest-wave-when")).isEqualTo("no wave yet");
        assertThat(text("alert-feed")).isEqualTo("no alerts yet");
        // The only error the browser may log: the API's 404 for "no wave yet" (reading the log also clears it).
        assertThat(severeBrowserLogs()).allSatisfy(entry -> assertThat(entry).contains("/v1/waves/latest", "404"));
        for (String name : DemoCommand.SAMPLE_FILES) {
            Path file = dataDir.resolve(name);
            try (InputStream in = DashboardBrowserTest.class.getResourceAsStream("/sample/" + name)) {
                assertThat(in).as("bundled sample " + name).isNotNull();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            demo.importFile(file, ImportProgressListener.NONE);
            if (name.contains("annual")) {
                annualCasualties = file;
            }
        }
        demo.awaitProcessed(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @BeforeEach
    void requireBrowser() {
        if (browserInstalled()) {
            return;
        }
        String message = CHROMIUM + " or " + CHROMEDRIVER + " is missing; install them with "
                + "`apt-get install -y chromium chromium-driver` (Debian/Ubuntu) to run the dashboard browser test";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(message + " (CI is set, so the test must run)");
        }
        Assumptions.abort(message);
    }

    @Test
    void showsTheLoadedDataAndFollowsTheStreamWithoutAReload() throws Exception {
        JsonNode latest = get("/v1/waves/latest");
        List<JsonNode> waves = new ArrayList<>();
        get("/v1/waves?limit=1000").get("waves").forEach(waves::add);
        JsonNode months = get("/v1/totals/strikes?granularity=month").get("totals");
        JsonNode yoy = get("/v1/casualties/yoy?year=2025");

        browser.get(demo.httpUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(d -> text("latest-wave-drones").equals(number(latest.get("drones").asInt())));
        assertThat(text("latest-wave-missiles")).isEqualTo(number(latest.get("missiles").asInt()));
        assertThat(text("latest-wave-interception"))
                .isEqualTo(Math.round(latest.get("interceptionRate").asDouble() * 100) + " %");
        assertThat(browser.findElements(By.cssSelector("[data-testid=latest-wave-composition] li")))
                .hasSize(latest.get("byClass").size());

        // One bar per wave: the chart's own data, not a label (the sample spans three months, all inside the chart's
        // one-year window).
        wait.until(d -> chartData("waves-chart", 0).size() == waves.size());
        assertThat(text("wave-count")).startsWith(waves.size() + " waves");
        assertThat(chartData("waves-chart", 0).get(waves.size() - 1)).isEqualTo(List.of(latest.get("start").asText(),
                latest.get("drones").asLong()));

        List<Object> monthlyDrones = new ArrayList<>();
        months.forEach(m -> monthlyDrones.add(m.get("drones").asLong()));
        wait.until(d -> chartData("monthly-chart", 0).equals(monthlyDrones));

        // 2025 against 2024, from the annual file we loaded; the API must agree.
        double increase = increasePct(annualCasualties, 2025);
        assertThat(yoy.get("increasePct").asDouble()).isCloseTo(increase, within(0.005));
        String expectedYoy = String.format(Locale.ROOT, "%+.1f %%", increase);
        wait.until(d -> text("yoy-pct").equals(expectedYoy));
        assertThat(text("yoy-caption")).contains("2025").contains("14,656").contains("11,226");
        assertThat(attribute("connection", "data-state")).isEqualTo("live");

        // A new night after the latest wave, posted while the page is open; a marker shows the page is not reloaded.
        browser.executeScript("window.sameDocument = true;");
        Instant start = Instant.parse(latest.get("end").asText()).plus(Duration.ofHours(12));
        Instant end = start.plus(Duration.ofHours(11));
        int drones = latest.get("drones").asInt() + 123;
        int missiles = 7;
        String body = JSON.writeValueAsString(List.of(
                report("dashboard-test-drones", start, end, "Shahed-136/131", "ATTACK_DRONE", drones, drones - 20),
                report("dashboard-test-missiles", start.plus(Duration.ofHours(8)), end, "Iskander-M", "BALLISTIC_MISSILE",
                        missiles, 3)));
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(demo.httpUrl() + "/v1/strikes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        wait.until(d -> text("latest-wave-drones").equals(number(drones)) && text("latest-wave-missiles").equals(number(missiles)));
        wait.until(d -> chartData("waves-chart", 0).size() == waves.size() + 1);
        assertThat(browser.executeScript("return window.sameDocument === true;")).isEqualTo(true);
        assertThat(text("latest-wave-interception"))
                .isEqualTo(Math.round(100.0 * (drones - 20 + 3) / (drones + missiles)) + " %");

        // An alert about the new wave, as the alert rules publish it: it reaches the feed, its text shown as text.
        String summary = "Wave of " + drones + " drones <b>above 300</b>";
        publishAlert(EscalationAlert.newBuilder().setId("wave-drones/" + start + "/WARNING").setRule("wave-drones")
                .setSeverity(Severity.WARNING).setStatus(AlertStatus.FIRING).setSubject(start.toString())
                .setValue(drones).setThreshold(300).setSummary(summary).setFiredAt(Instant.now()).build());
        wait.until(d -> !browser.findElements(By.cssSelector("[data-testid=alert-feed] li[data-severity=WARNING]")).isEmpty());
        assertThat(text("alert-feed")).contains("WARNING").contains(summary).doesNotContain("no alerts yet");

        // The wall screen in kiosk mode (the whole 1920x1080 for the page), then a laptop's browser window.
        viewport(1920, 1080);
        wait.until(d -> chartsFitTheirPanels());
        screenshot(SCREENSHOT);
        viewport(1366, 660);
        wait.until(d -> chartsFitTheirPanels());
        screenshot(LAPTOP_SCREENSHOT);
        assertThat(severeBrowserLogs()).as("browser console errors").isEmpty();
    }

    // ---- the browser ----

    /** Without Chromium: a clear failure on CI (it installs it), a skip elsewhere; see {@link #requireBrowser}. */
    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static ChromeDriver startBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1920,1080", "--user-data-dir=" + Files.createTempDirectory(dataDir, "chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The driver binary is given: Selenium Manager never runs, nothing is downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String text(String testId) {
        return browser.findElement(By.cssSelector("[data-testid=\"" + testId + "\"]")).getText().trim();
    }

    private static String attribute(String testId, String name) {
        return browser.findElement(By.cssSelector("[data-testid=\"" + testId + "\"]")).getDomAttribute(name);
    }

    /** The data of one series of an ECharts chart, as the chart holds it. */
    @SuppressWarnings("unchecked")
    private static List<Object> chartData(String testId, int series) {
        Object data = ((JavascriptExecutor) browser).executeScript(
                "const chart = echarts.getInstanceByDom(document.querySelector(`[data-testid=\"${arguments[0]}\"]`));"
                        + "return chart ? chart.getOption().series[arguments[1]].data : [];", testId, series);
        return (List<Object>) data;
    }

    /** The page's viewport, whatever the window around it (headless Chromium keeps room for a browser frame). */
    private static void viewport(int width, int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    private static boolean chartsFitTheirPanels() {
        return (Boolean) browser.executeScript("return [...document.querySelectorAll('.chart')].every(el => {"
                + " const chart = echarts.getInstanceByDom(el);"
                + " return chart && chart.getWidth() === el.clientWidth && chart.getHeight() === el.clientHeight; });");
    }

    private static void screenshot(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> severeBrowserLogs() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString).toList();
    }

    // ---- data ----

    private static void publishAlert(EscalationAlert alert) throws Exception {
        try (HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(demo.registryUrl());
             KafkaProducer<String, EscalationAlert> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers()), new StringSerializer(),
                     new TopicSerdes(registry, true).escalationAlert().serializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS, alert.getId(), alert)).get();
        }
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(demo.httpUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Map<String, Object> report(String id, Instant start, Instant end, String model,
                                                         String weaponClass, int launched, int destroyed) {
        return Map.of("id", id, "source", "kpszsu", "timeStart", start.toString(), "timeEnd", end.toString(),
                "timePrecision", "MINUTE", "weaponModel", model, "weaponClass", weaponClass, "launched", launched,
                "destroyed", destroyed, "targetRegions", List.of("Kyiv oblast"));
    }

    /** (killed + injured of the year) against the year before, in percent, from the OHCHR annual file. */
    private static double increasePct(Path annualCsv, int year) throws IOException {
        long current = 0;
        long previous = 0;
        try (Reader in = Files.newBufferedReader(annualCsv, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                long total = Long.parseLong(row.get("killed")) + Long.parseLong(row.get("injured"));
                int rowYear = Integer.parseInt(row.get("year"));
                if (rowYear == year) {
                    current = total;
                } else if (rowYear == year - 1) {
                    previous = total;
                }
            }
        }
        assertThat(previous).as("a total for %d in %s", year - 1, annualCsv).isPositive();
        return 100.0 * (current - previous) / previous;
    }

    private static String number(long value) {
        return String.format(Locale.US, "%,d", value);
    }
}
