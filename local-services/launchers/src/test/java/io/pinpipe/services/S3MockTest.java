package io.pinpipe.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The launcher starts S3Mock's JVM on a loopback HTTP endpoint, with the initial buckets, and stops it. */
public class S3MockTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void answersOnLoopbackWithItsInitialBucketAndStopsOnClose() throws Exception {
    S3Mock s3 = S3Mock.onFreePorts(temp.getRoot().toPath(), "lake");
    try (s3) {
      s3.start(Duration.ofSeconds(90));
      assertTrue(S3Mock.SERVICE.running(s3.dataDir()).isPresent());
      // Its extra HTTP connector too (S3Mock gives it no address of its own).
      KafkaBrokerTest.assertListensOnLoopbackOnly("S3Mock", S3Mock.SERVICE.running(s3.dataDir()).get(), s3.port());
      if (ListeningSockets.supported()) {
        assertEquals(2, ListeningSockets.of(List.of(S3Mock.SERVICE.running(s3.dataDir()).get())).size());
      }
      assertEquals("http://127.0.0.1:" + s3.port(), s3.endpoint().toString());
      HttpResponse<String> buckets =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(s3.endpoint().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, buckets.statusCode());
      assertThat(buckets.body(), containsString("<Name>lake</Name>"));
    }
    assertFalse(S3Mock.SERVICE.running(s3.dataDir()).isPresent());
    assertFalse(LocalProcess.accepting(s3.port()));
  }

  @Test
  public void aMissingJarIsNamed() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> S3Mock.SERVICE.installation().locate(Optional.of(temp.getRoot().toPath().resolve("s3mock-exec.jar"))));
    assertThat(e.getMessage(), containsString("no S3Mock jar at"));
  }
}
