package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's default S3 client (region, endpoint, credentials chain, HTTP settings from the options),
 * with path-style addressing when {@code --s3PathStyleAccess} is on. {@link
 * S3AccessOptions#apply} selects it; Beam instantiates it by its no-argument constructor.
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  private final DefaultS3ClientBuilderFactory defaults = new DefaultS3ClientBuilderFactory();

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = defaults.createBuilder(options);
    if (options.as(S3AccessOptions.class).getS3PathStyleAccess()) {
      builder.forcePathStyle(true);
    }
    return builder;
  }
}
