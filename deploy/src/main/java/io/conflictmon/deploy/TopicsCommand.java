package io.conflictmon.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code conflictmon topics}: creates the pipeline's topics on a cluster as {@link EmbeddedStack.TopicLayout} (and
 * the AsyncAPI document) describe them; a topic that exists is left as it is. The compose file and the Kubernetes
 * Job run it before the services start.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Create the pipeline's topics (partitions, compaction, retention as /asyncapi.json says); "
                + "existing topics are left unchanged.")
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "3", description = "Replicas of each topic.")
    short replicationFactor;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers);
        List<NewTopic> topics = EmbeddedStack.TopicLayout.ALL.stream().map(t -> t.newTopic(replicationFactor)).toList();
        try (Admin admin = Admin.create(props)) {
            var results = admin.createTopics(topics).values();
            for (NewTopic topic : topics) {
                try {
                    results.get(topic.name()).get();
                    System.out.printf("created %s (%d partitions, %s)%n", topic.name(), topic.numPartitions(), topic.configs());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + topic.name() + ": " + e.getCause().getMessage(), e);
                    }
                    System.out.printf("exists  %s%n", topic.name());
                }
            }
        }
        return 0;
    }
}
