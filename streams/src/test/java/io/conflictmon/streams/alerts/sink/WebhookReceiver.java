package io.conflictmon.streams.alerts.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver of webhook POSTs (the JDK's HttpServer) that answers with a settable status and keeps the
 * alerts of every request it answered 2xx; it can stop listening and listen again on the same port.
 */
final class WebhookReceiver implements AutoCloseable {
  static final String PATH = "/api/v2/alerts";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;
  private volatile String refuseBodiesWith;
  private int port;
  private HttpServer server;

  private WebhookReceiver() {
  }

  static WebhookReceiver start() {
    WebhookReceiver receiver = new WebhookReceiver();
    receiver.listen();
    return receiver;
  }

  /** Listens (again) on the receiver's port, a free one the first time. */
  synchronized void listen() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(PATH, exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        int answer = refuseBodiesWith != null && new String(body, java.nio.charset.StandardCharsets.UTF_8)
            .contains(refuseBodiesWith) ? 400 : status;
        if (answer >= 200 && answer < 300) {
          authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          JSON.readTree(body).forEach(accepted::add);
        }
        byte[] reply = (answer >= 400 ? "{\"error\":\"status " + answer + "\"}" : "").getBytes();
        exchange.sendResponseHeaders(answer, reply.length == 0 ? -1 : reply.length);
        if (reply.length > 0) {
          exchange.getResponseBody().write(reply);
        }
      }
    });
    server.start();
    port = server.getAddress().getPort();
  }

  /** Stops listening: connections are refused until {@link #listen()}. */
  synchronized void stopListening() {
    server.stop(0);
  }

  void answer(int httpStatus) {
    status = httpStatus;
  }

  /** Answers 400 to every body that contains the text, as Alertmanager does for a body with one invalid alert. */
  void refuseBodiesWith(String text) {
    refuseBodiesWith = text;
  }

  String url() {
    return "http://127.0.0.1:" + port + PATH;
  }

  /** Alerts of the requests answered 2xx, in arrival order. */
  List<JsonNode> alerts() {
    return new ArrayList<>(accepted);
  }

  /** The alert_id annotation of every accepted alert, in arrival order (a duplicate shows twice). */
  List<String> alertIds() {
    return accepted.stream().map(alert -> alert.path("annotations").path("alert_id").asText()).toList();
  }

  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  int requests() {
    return requests.get();
  }

  @Override
  public synchronized void close() {
    server.stop(0);
  }
}
