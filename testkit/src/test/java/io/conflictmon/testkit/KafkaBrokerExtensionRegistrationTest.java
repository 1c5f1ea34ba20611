package io.conflictmon.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerExtensionRegistrationTest {

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static String topic;

    @BeforeAll
    static void createTopic() {
        topic = kafka.createUniqueTopic("registered", 3, Map.of("cleanup.policy", "compact"));
    }

    @Test
    void sharesTheOneSuiteBroker() {
        assertThat(SuiteBrokerSeen.firstOr(kafka.broker())).isSameAs(kafka.broker());
        assertThat(kafka.bootstrapServers()).isEqualTo(kafka.broker().bootstrapServers());
    }

    @Test
    void topicCreatedInBeforeAllHasItsPartitionsAndConfig() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                    .hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
    }
}
