package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.pinpipe.pipelines.archive.ArchiveOptions;
import io.pinpipe.pipelines.batch.BatchOptions;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** --s3PathStyleAccess selects the path-style client factory, unless a factory is named. */
public class S3AccessOptionsTest {
  private static S3AccessOptions applied(String... args) {
    S3AccessOptions options = PipelineOptionsFactory.fromArgs(args).as(BatchOptions.class);
    S3AccessOptions.apply(options, GivenFlags.in(args));
    return options;
  }

  @Test
  public void byDefaultBeamsFactoryAndVirtualHostedStyleAreUsed() {
    S3AccessOptions options = applied();
    assertFalse(options.getS3PathStyleAccess());
    assertEquals(DefaultS3ClientBuilderFactory.class, options.getS3ClientFactoryClass());
  }

  @Test
  public void pathStyleAccessSelectsThePathStyleFactory() {
    assertEquals(
        PathStyleS3ClientBuilderFactory.class,
        applied("--s3PathStyleAccess=true").getS3ClientFactoryClass());
  }

  @Test
  public void aNamedFactoryIsKeptEvenWithPathStyleAccess() {
    assertEquals(
        OtherFactory.class,
        applied("--s3PathStyleAccess", "--s3ClientFactoryClass=" + OtherFactory.class.getName())
            .getS3ClientFactoryClass());
  }

  @Test
  public void archiveOptionsParseTheEndpointRegionAndPathStyleAccess() {
    ArchiveOptions options =
        PipelineOptionsFactory.fromArgs("--endpoint=http://127.0.0.1:9090", "--awsRegion=us-east-1", "--s3PathStyleAccess")
            .as(ArchiveOptions.class);
    assertEquals("http://127.0.0.1:9090", options.getEndpoint().toString());
    assertEquals("us-east-1", options.getAwsRegion().id());
    assertEquals(true, options.getS3PathStyleAccess());
  }

  /** Stands for a user's own factory. */
  public static class OtherFactory implements S3ClientBuilderFactory {
    @Override
    public software.amazon.awssdk.services.s3.S3ClientBuilder createBuilder(S3Options options) {
      return new DefaultS3ClientBuilderFactory().createBuilder(options);
    }
  }
}
