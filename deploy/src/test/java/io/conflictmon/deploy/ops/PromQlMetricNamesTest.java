package io.conflictmon.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The extraction OpsFilesTest relies on: names, and nothing else, out of the PromQL forms the ops files use. */
class PromQlMetricNamesTest {
    @Test
    void findsMetricNamesAndOnlyThem() {
        assertThat(PromQlMetricNames.of("sum by (job, instance) (rate(conflictmon_ingest_reports_accepted_total"
                + "{job=~\"conflictmon.*\", type!=\"x(y)\"}[$__rate_interval])) == 0 and on (instance) up offset 5m"))
                .containsExactly("conflictmon_ingest_reports_accepted_total", "up");
        assertThat(PromQlMetricNames.of("histogram_quantile(0.95, sum by (le) (rate(a_seconds_bucket[5m]))) > 1e3"))
                .containsExactly("a_seconds_bucket");
        assertThat(PromQlMetricNames.of("max(b:rule_total) / ignoring(x) group_left c_total > bool 0.5"))
                .containsExactly("b:rule_total", "c_total");
        assertThat(PromQlMetricNames.of("increase(d_total[1h:5m]) > ${threshold}")).containsExactly("d_total");
    }
}
