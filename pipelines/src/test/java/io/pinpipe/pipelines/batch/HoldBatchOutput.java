package io.pinpipe.pipelines.batch;

import io.pinpipe.pipelines.output.BatchRuns;
import io.pinpipe.pipelines.output.JobFiles;
import io.pinpipe.pipelines.output.OwnedOutput;
import java.io.PrintStream;
import java.util.List;

/**
 * A batch run caught mid-run, in a process of its own: it owns an output, begins a run there and
 * writes one file of it, says {@code holding <run>} on stdout, and waits until its stdin closes
 * (then ends without committing) or it is killed. {@link OneRunAtATimeTest} runs it.
 */
public final class HoldBatchOutput {
  private HoldBatchOutput() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    try (OwnedOutput owned = OwnedOutput.claim(JobFiles.BATCH, args[0], List.of(), false)) {
      BatchRuns.Run run = BatchRuns.begin(owned, true, System.err);
      owned.root().write(run.name() + "/results/top_category_by_year.csv", "written so far\n");
      out.println("holding " + run.name());
      out.flush();
      while (System.in.read() != -1) {
        // waits for the test to close stdin
      }
    }
  }
}
