package io.conflictmon.streams.alerts.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One webhook the alerts are posted to: a name (the metric tag and the suffix of the consumer group id, so a restarted
 * sink resumes where it stopped), the URL, and an optional {@code Authorization} header value.
 *
 * <p>Written as {@code [name=]URL}: without a name, one is derived from host, port and path. Credentials in the URL
 * ({@code https://user:secret@host/...}) become a Basic header and are taken out of the URL; a bearer token is added
 * with {@link #withBearerToken}. {@link #toString()} never shows the header.
 */
public record WebhookTarget(String name, URI url, String authorization) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern NOT_NAME_CHAR = Pattern.compile("[^A-Za-z0-9._-]+");

  public WebhookTarget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("webhook name '" + name + "' must be 1-100 of A-Z a-z 0-9 . _ -");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException("webhook URL '" + url + "' must be an absolute http(s) URL with a host");
    }
    if (url.getUserInfo() != null) {
      throw new IllegalArgumentException("webhook URL of '" + name + "' carries credentials; give them as authorization");
    }
  }

  /** {@code [name=]URL}, e.g. {@code http://alertmanager:9093/api/v2/alerts} or {@code pager=https://u:p@host/hook}. */
  public static WebhookTarget parse(String spec) {
    String text = Objects.requireNonNull(spec, "spec").trim();
    int eq = text.indexOf('=');
    int scheme = text.indexOf("://");
    String name = null;
    if (eq > 0 && (scheme < 0 || eq < scheme)) {
      name = text.substring(0, eq).trim();
      text = text.substring(eq + 1).trim();
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("webhook URL '" + text + "' is not a URL: " + e.getReason(), e);
    }
    String authorization = null;
    if (uri.getRawUserInfo() != null) {
      authorization = basic(uri.getRawUserInfo());
      try {
        uri = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("webhook URL '" + text + "' is not a URL: " + e.getReason(), e);
      }
    }
    return new WebhookTarget(name == null || name.isEmpty() ? nameOf(uri) : name, uri, authorization);
  }

  /** A comma-separated list of {@link #parse} specs; blanks are skipped; names must be distinct. */
  public static List<WebhookTarget> parseList(String commaList) {
    List<WebhookTarget> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String spec : Objects.requireNonNull(commaList, "commaList").split(",")) {
      if (spec.isBlank()) {
        continue;
      }
      WebhookTarget target = parse(spec);
      if (!names.add(target.name())) {
        throw new IllegalArgumentException("two webhooks are named '" + target.name() + "'; name them: name=URL");
      }
      targets.add(target);
    }
    return List.copyOf(targets);
  }

  /** The name derived from a URL: host, port and path with every other character as '-'. */
  static String nameOf(URI url) {
    String raw = url.getHost() + (url.getPort() < 0 ? "" : "-" + url.getPort()) + (url.getPath() == null ? "" : url.getPath());
    String name = NOT_NAME_CHAR.matcher(raw).replaceAll("-").replaceAll("^-+|-+$", "");
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  public WebhookTarget withBearerToken(String token) {
    return new WebhookTarget(name, url, "Bearer " + Objects.requireNonNull(token, "token"));
  }

  public WebhookTarget withAuthorization(String headerValue) {
    return new WebhookTarget(name, url, headerValue);
  }

  private static String basic(String rawUserInfo) {
    String decoded = URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return name + "=" + url + (authorization == null ? "" : " (with authorization)");
  }
}
