package io.pinpipe.transforms.results;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** How result rows, numbers and whole result documents are written as CSV. */
@RunWith(JUnit4.class)
public class ResultCsvTest {

  private static final Schema TEXT_AND_NUMBER =
      Schema.builder().addNullableStringField("text").addNullableDoubleField("number").build();

  private static String line(String text, Double number) {
    return ResultCsv.line(Row.withSchema(TEXT_AND_NUMBER).addValues(text, number).build());
  }

  @Test
  public void plainTextIsNotQuoted() {
    assertEquals("Bosnia and Herzegovina,1", line("Bosnia and Herzegovina", 1.0));
  }

  @Test
  public void textWithCommasQuotesOrLineBreaksIsQuotedWithQuotesDoubled() {
    assertEquals("\"Korea, Republic of\",1", line("Korea, Republic of", 1.0));
    assertEquals("\"say \"\"hi\"\"\",1", line("say \"hi\"", 1.0));
    assertEquals("\"two\nlines\",1", line("two\nlines", 1.0));
    assertEquals("\"carriage\rreturn\",1", line("carriage\rreturn", 1.0));
  }

  @Test
  public void nullIsAnEmptyField() {
    assertEquals(",", line(null, null));
    assertEquals("x,", line("x", null));
  }

  @Test
  public void numbersArePlainDecimalsWithoutExponentOrTrailingZero() {
    assertEquals("59500", ResultCsv.number(59500L));
    assertEquals("15000000", ResultCsv.number(15_000_000L));
    assertEquals("2018", ResultCsv.number(2018));
    assertEquals("59500", ResultCsv.number(59500.0));
    assertEquals("59500.5", ResultCsv.number(59500.5));
    assertEquals("10000000", ResultCsv.number(1.0E7));
    assertEquals("15000000", ResultCsv.number(15_000_000.0));
    assertEquals("1234567.25", ResultCsv.number(1234567.25));
    assertEquals("0.001", ResultCsv.number(0.001));
    assertEquals("0", ResultCsv.number(-0.0));
    assertEquals("-3.5", ResultCsv.number(-3.5));
    assertEquals("123456789012345680000", ResultCsv.number(1.2345678901234568E20));
  }

  @Test
  public void aDocumentIsTheHeaderThenTheSortedRowsEachEndedByNewline() {
    QueryOutput q5 = QueryOutput.Q5;
    assertEquals(
        "age_group,median_follower_count\n18-24,59500.5\n36-50,10000000\n+50,15000000\n",
        ResultCsv.document(
            q5,
            List.of(
                q5.row("+50", 15_000_000.0), q5.row("18-24", 59500.5), q5.row("36-50", 1.0E7))));
  }

  @Test
  public void anEmptyResultIsTheHeaderOnly() {
    assertEquals("post_year,number_users_joined\n", ResultCsv.document(QueryOutput.Q6, List.of()));
  }
}
