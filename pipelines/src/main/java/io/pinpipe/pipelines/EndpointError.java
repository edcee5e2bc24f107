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
