package io.pinpipe.pipelines;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * A configured endpoint (Kafka, Kinesis, S3, a database) could not be reached or refused the run.
 * Not the user's typing, and not a bug either: the command prints its message, which names the
 * endpoint and the cause, as one line and exits with status 1, without a stack trace.
 */
public final class EndpointError extends RuntimeException {
  public EndpointError(String message) {
    super(message);
  }

  /**
   * Fails with one line when nothing accepts a TCP connection at {@code endpoint}'s host and port
   * within 3 s: the clients would otherwise retry quietly, then fail deep inside a running job.
   */
  public static void requireReachable(String what, java.net.URI endpoint) {
    String host = endpoint.getHost();
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    if (host == null) {
      throw new UserError(what + " endpoint '" + endpoint + "' must be a URL such as http://host:port");
    }
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), 3_000);
    } catch (java.io.IOException e) {
      throw new EndpointError(
          "cannot connect to " + what + " at " + endpoint + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  /**
   * Whether {@code failure} (or a cause) is a failure to connect: refused, no route, an unknown
   * host, a timeout, or the AWS SDK's "unable to execute HTTP request".
   */
  public static boolean isConnectionFailure(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < 100; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || (t.getMessage() != null && t.getMessage().startsWith("Unable to execute HTTP request"))) {
        return true;
      }
    }
    return false;
  }
}
