package io.pinpipe.pipelines.progress;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.pinpipe.pipelines.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.Test;

/**
 * The progress lines' machinery on DirectRunner, with a pipeline that counts 1,000 elements: the
 * last line shows the final count, --quiet prints nothing, and the interval must be at least 1 s.
 * Nothing here depends on how many lines a run printed: that depends on the machine's speed.
 */
public class JobProgressTest {
  private static final String NAMESPACE = "job-progress-test";

  private static final class CountFn extends DoFn<Long, Void> {
    private final Counter seen = Metrics.counter(NAMESPACE, "seen");

    @ProcessElement
    public void process(@Element Long n) {
      seen.inc();
    }
  }

  private static List<String> run(String... args) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(ProgressOptions.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    p.apply("Numbers", Create.of(LongStream.range(0, 1_000).boxed().toList()))
        .apply("Count", ParDo.of(new CountFn()));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (JobProgress progress =
        JobProgress.start(options, NAMESPACE, (c, s) -> "test: seen " + c.getOrDefault("seen", 0L), out)) {
      PipelineResult result = p.run();
      progress.follow(result);
      assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
      progress.finish(result);
    }
    return printed.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  public void theLastProgressLineShowsTheFinalCount() {
    List<String> lines = run("--progressSeconds=1");
    assertEquals("test: seen 1000", lines.get(lines.size() - 1));
  }

  @Test
  public void quietPrintsNoProgressLine() {
    assertEquals(List.of(), run("--quiet", "--progressSeconds=1"));
  }

  @Test
  public void anIntervalUnderOneSecondIsAUserError() {
    UserError e = assertThrows(UserError.class, () -> run("--progressSeconds=0"));
    assertEquals("--progressSeconds must be at least 1", e.getMessage());
  }
}
