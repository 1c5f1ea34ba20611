package io.conflictmon.ingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.testutil.SharedData;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeaponClassifierTest {
    private final WeaponClassifier classifier = WeaponClassifier.bundled();

    @Test
    void everyModelOfTheRealAttackLogHasAClass() throws Exception {
        TreeSet<String> models = new TreeSet<>();
        try (Reader in = Files.newBufferedReader(SharedData.file(SharedData.ATTACKS), StandardCharsets.UTF_8);
                CSVParser csv = CSVParser.builder().setReader(in)
                        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            for (CSVRecord row : csv) {
                models.add(row.get("model").strip());
            }
        }
        Map<String, WeaponClass> table = new TreeMap<>(classifier.classifyAll(models));
        String listing = table.entrySet().stream().map(e -> String.format("%-50s %s", e.getKey(), e.getValue()))
                .collect(Collectors.joining("\n"));
        assertThat(table).as("model -> class of every model in the attack log:\n" + listing)
                .doesNotContainValue(WeaponClass.UNKNOWN);
        assertThat(table).hasSizeGreaterThan(60);
    }

    @Test
    void everyBundleOfTheReferenceAndTheLogIsAllDronesOrAllMissiles() throws Exception {
        TreeSet<String> bundles = new TreeSet<>();
        for (String file : new String[] {SharedData.ATTACKS, "missiles_and_uavs.csv"}) {
            try (Reader in = Files.newBufferedReader(SharedData.file(file), StandardCharsets.UTF_8);
                    CSVParser csv = CSVParser.builder().setReader(in)
                            .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
                for (CSVRecord row : csv) {
                    if (row.get("model").contains(" and ")) {
                        bundles.add(row.get("model").strip());
                    }
                }
            }
        }
        assertThat(bundles).isNotEmpty();
        for (String bundle : bundles) {
            boolean drone = WeaponClassifier.isDrone(classifier.classify(bundle));
            for (String part : bundle.split(" and ")) {
                assertThat(WeaponClassifier.isDrone(classifier.classify(part)))
                        .as("part '%s' of bundle '%s' is on the same side of the drone/missile split", part, bundle)
                        .isEqualTo(drone);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Shahed-136/131                               | ATTACK_DRONE
            Geran-2                                      | ATTACK_DRONE
            Герань-2                                     | ATTACK_DRONE
            Gerbera                                      | OTHER_DRONE
            decoy drones                                 | OTHER_DRONE
            Lancet                                       | ATTACK_DRONE
            Kub                                          | ATTACK_DRONE
            Молнія                                       | ATTACK_DRONE
            Молнія and Lancet                            | ATTACK_DRONE
            Привет-82                                    | ATTACK_DRONE
            Картограф                                    | OTHER_DRONE
            Фенікс                                       | OTHER_DRONE
            Orlan-10                                     | OTHER_DRONE
            Orlan-10 and ZALA and Supercam               | OTHER_DRONE
            Supercam                                     | OTHER_DRONE
            Unknown UAV                                  | OTHER_DRONE
            Reconnaissance UAV                           | OTHER_DRONE
            Mohajer-6                                    | OTHER_DRONE
            X-101/X-555                                  | CRUISE_MISSILE
            Kh-101                                       | CRUISE_MISSILE
            Kh-55                                        | CRUISE_MISSILE
            Kh-59                                        | CRUISE_MISSILE
            Kh-69                                        | CRUISE_MISSILE
            Kh-22                                        | CRUISE_MISSILE
            Kh-32                                        | CRUISE_MISSILE
            Kalibr                                       | CRUISE_MISSILE
            Калібр                                       | CRUISE_MISSILE
            P-800 Oniks                                  | CRUISE_MISSILE
            3M22 Zircon                                  | CRUISE_MISSILE
            Iskander-K                                   | CRUISE_MISSILE
            Iskander-M                                   | BALLISTIC_MISSILE
            KN-23                                        | BALLISTIC_MISSILE
            Iskander-M/KN-23                             | BALLISTIC_MISSILE
            X-47 Kinzhal                                 | BALLISTIC_MISSILE
            Kh-47M2 Kinzhal                              | BALLISTIC_MISSILE
            Kinzhal                                      | BALLISTIC_MISSILE
            Intercontinental Ballistic Missile           | BALLISTIC_MISSILE
            X-47 Kinzhal and Iskander-M/KN-23            | BALLISTIC_MISSILE
            Iskander-M and Iskander-K                    | BALLISTIC_MISSILE
            X-101/X-555 and Kalibr and Iskander-M/KN-23  | CRUISE_MISSILE
            C-300                                        | SURFACE_TO_AIR_MISSILE
            S-400                                        | SURFACE_TO_AIR_MISSILE
            C-300/C-400                                  | SURFACE_TO_AIR_MISSILE
            C-400 and Iskander-M                         | SURFACE_TO_AIR_MISSILE
            C-300/C-400 and Iskander-M                   | SURFACE_TO_AIR_MISSILE
            KAB-500                                      | GUIDED_BOMB
            UMPK                                         | GUIDED_BOMB
            GBU                                          | GUIDED_BOMB
            Aerial Bomb                                  | GUIDED_BOMB
            Something else entirely                      | UNKNOWN
            """)
    void classifies(String model, WeaponClass expected) {
        assertThat(classifier.classify(model)).isEqualTo(expected);
    }

    @Test
    void ignoresCaseAndSpacingAndRefusesNothing() {
        assertThat(classifier.classify("  shahed-136/131 ")).isEqualTo(WeaponClass.ATTACK_DRONE);
        assertThat(classifier.classify("C-400   and  Iskander-M")).isEqualTo(WeaponClass.SURFACE_TO_AIR_MISSILE);
        assertThat(classifier.classify(null)).isEqualTo(WeaponClass.UNKNOWN);
        assertThat(classifier.classify(" ")).isEqualTo(WeaponClass.UNKNOWN);
    }
}
