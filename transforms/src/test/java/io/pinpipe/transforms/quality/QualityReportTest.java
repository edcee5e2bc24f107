package io.pinpipe.transforms.quality;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pinpipe.contract.RecordKind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Metric keys ({@link QualityMetrics}) and their expansion into per-kind counts ({@link QualityReport}). */
@RunWith(JUnit4.class)
public class QualityReportTest {

  private static String describe(QualityReport.KindCounts c) {
    return "read=" + c.read + " cleaned=" + c.cleaned + " dead_lettered=" + c.deadLettered
        + " duplicates=" + c.duplicates + " conflicts=" + c.conflicts + " nulled=" + c.nulled
        + " rules=" + c.rules + " unknown_fields=" + c.unknownFields;
  }

  @Test
  public void countKeyIsKindAndMeasure() {
    assertEquals(KV.of("pin|read", 3L), QualityMetrics.count(RecordKind.PIN, QualityMetrics.READ, 3));
    assertEquals(
        KV.of("user|dead_lettered", 1L),
        QualityMetrics.count(RecordKind.USER, QualityMetrics.DEAD_LETTERED, 1));
  }

  @Test
  public void cleanedKeyJoinsTheRecordsEventsWithTabs() {
    assertEquals(KV.of("geo|cleaned|", 1L), QualityMetrics.cleaned(RecordKind.GEO, List.of()));
    assertEquals(
        KV.of("user|cleaned|nulled:age:not_a_number\trule:user_name_from_one_part", 1L),
        QualityMetrics.cleaned(
            RecordKind.USER, List.of("nulled:age:not_a_number", "rule:user_name_from_one_part")));
  }

  @Test
  public void cleanedCombinationsExpandIntoNulledRulesAndUnknownFields() {
    Map<String, Long> sums = new TreeMap<>();
    sums.put("pin|read", 10L);
    sums.put("pin|cleaned|", 3L);
    sums.put("pin|cleaned|rule:a\tnulled:age:not_integral\tunknown_field:extra", 2L);
    sums.put("pin|cleaned|rule:a\trule:b\tnulled:age:missing", 4L);
    sums.put("pin|dead_lettered", 1L);
    sums.put("pin|conflicts", 2L);
    QualityReport.KindCounts pin = QualityReport.fromSums(sums).kind(RecordKind.PIN);
    assertEquals(
        "read=10 cleaned=9 dead_lettered=1 duplicates=0 conflicts=2"
            + " nulled={age={missing=4, not_integral=2}} rules={a=6, b=4} unknown_fields={extra=2}",
        describe(pin));
    assertTrue(pin.balances());
  }

  @Test
  public void kindsAreCountedSeparately() {
    QualityReport report =
        QualityReport.fromSums(
            Map.of(
                "geo|read", 3L,
                "geo|cleaned|", 2L,
                "geo|duplicates", 1L,
                "user|read", 1L,
                "user|dead_lettered", 1L));
    assertEquals(
        "read=3 cleaned=2 dead_lettered=0 duplicates=1 conflicts=0 nulled={} rules={} unknown_fields={}",
        describe(report.kind(RecordKind.GEO)));
    assertEquals(
        "read=1 cleaned=0 dead_lettered=1 duplicates=0 conflicts=0 nulled={} rules={} unknown_fields={}",
        describe(report.kind(RecordKind.USER)));
    assertEquals(
        "read=0 cleaned=0 dead_lettered=0 duplicates=0 conflicts=0 nulled={} rules={} unknown_fields={}",
        describe(report.kind(RecordKind.PIN)));
  }

  @Test
  public void unknownFieldNameMayContainColons() {
    QualityReport.KindCounts pin =
        QualityReport.fromSums(Map.of("pin|cleaned|unknown_field:a:b", 1L)).kind(RecordKind.PIN);
    assertEquals(Map.of("a:b", 1L), pin.unknownFields);
  }

  @Test
  public void countsThatDoNotAddUpAreReportedAsUnbalancedNotCorrected() {
    QualityReport.KindCounts pin =
        QualityReport.fromSums(Map.of("pin|read", 5L, "pin|cleaned|", 3L)).kind(RecordKind.PIN);
    assertEquals(5L, pin.read);
    assertEquals(3L, pin.cleaned);
    assertFalse(pin.balances());
  }

  @Test
  public void unknownMeasureIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> QualityReport.fromSums(Map.of("pin|bogus", 1L)));
    assertEquals("unknown data-quality measure in 'pin|bogus'", e.getMessage());
  }

  @Test
  public void unknownKindIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> QualityReport.fromSums(Map.of("tweet|read", 1L)));
    assertEquals("unknown record kind 'tweet' (expected pin, geo or user)", e.getMessage());
  }

  @Test
  public void unknownCleaningEventIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QualityReport.fromSums(Map.of("pin|cleaned|weird:x", 1L)));
    assertEquals("unknown cleaning event 'weird:x'", e.getMessage());
  }
}
