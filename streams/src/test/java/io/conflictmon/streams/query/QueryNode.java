package io.conflictmon.streams.query;

import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.function.Consumer;

/**
 * One streams instance as the demo runs it: a {@link StreamsService} whose {@code application.server} is the port of
 * its own Javalin server, which serves the {@link QueryApi}. The port is chosen before the service is built because
 * Kafka Streams needs it in its config.
 */
final class QueryNode implements AutoCloseable {

  final StreamsService service;
  final QueryApi api;
  final Javalin app;
  final int port;
  private boolean closed;

  QueryNode(StreamsSettings streamsSettings, TopologySettings topology, long maxStandbyLag) {
    this(streamsSettings, topology, maxStandbyLag, app -> { });
  }

  /** @param beforeRoutes adds handlers ahead of the API's (a test's failure injection) */
  QueryNode(StreamsSettings streamsSettings, TopologySettings topology, long maxStandbyLag,
            Consumer<Javalin> beforeRoutes) {
    this.port = freePort();
    String applicationServer = "127.0.0.1:" + port;
    this.service = new StreamsService(streamsSettings.withApplicationServer(applicationServer), topology);
    try {
      this.api = QueryApi.create(service, QueryLocator.Settings.defaults(applicationServer).withMaxStandbyLag(maxStandbyLag));
      this.app = Javalin.create(config -> {
        config.showJavalinBanner = false;
        config.startupWatcherEnabled = false;
      });
      beforeRoutes.accept(app);
      api.register(app);
      app.start("127.0.0.1", port);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  void start() {
    service.start();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      app.stop();
    } finally {
      service.close();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
