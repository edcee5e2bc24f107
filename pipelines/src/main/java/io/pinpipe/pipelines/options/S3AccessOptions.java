package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How the jobs reach {@code s3://} paths: Beam's aws2 {@link S3Options} ({@code --awsRegion},
 * {@code --endpoint}, storage class, encryption...) plus path-style addressing for S3-compatible
 * servers. Credentials are not options (Beam records option values in the job graph and logs,
 * README.md#s3): the AWS SDK's default provider chain finds them (environment variables, system
 * properties, {@code ~/.aws} profile, instance role).
 */
public interface S3AccessOptions extends S3Options {

  @Description(
      "Address buckets path-style (http://host/bucket/key) instead of virtual-hosted style"
          + " (http://bucket.host/key). S3-compatible servers such as S3Mock or MinIO behind"
          + " --endpoint need it; AWS S3 itself does not")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);

  /**
   * Lets {@code --s3PathStyleAccess} take effect without naming a factory class: selects {@link
   * PathStyleS3ClientBuilderFactory} unless {@code --s3ClientFactoryClass} was given. Call before
   * {@code FileSystems.setDefaultPipelineOptions}; the choice travels with the options to workers.
   */
  static void apply(S3AccessOptions options, GivenFlags given) {
    if (options.getS3PathStyleAccess()
        && !given.gave("s3ClientFactoryClass")
        && DefaultS3ClientBuilderFactory.class.equals(options.getS3ClientFactoryClass())) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
  }
}
