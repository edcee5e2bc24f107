package io.pinpipe.services;

import java.net.URI;
import java.nio.file.Path;

/**
 * A local stand-in for an AWS service (S3Mock for S3, kinesis-local for Kinesis): plain HTTP on a
 * loopback port, which the AWS SDK v2 and Beam's aws2 IO reach through an endpoint override, signing
 * for {@link #REGION}.
 */
public abstract class LocalAwsEndpoint extends RecordedService {
  /** The region the stand-ins answer for (S3Mock's default; kinesis-local's stream ARNs name it). */
  public static final String REGION = "us-east-1";

  protected LocalAwsEndpoint(Descriptor service, Path dataDir, int port) {
    super(service, dataDir, port);
  }

  /** The endpoint for {@code --endpoint} and SDK clients: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The region clients sign for. */
  public String region() {
    return REGION;
  }
}
