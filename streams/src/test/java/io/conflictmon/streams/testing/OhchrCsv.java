package io.conflictmon.streams.testing;

import static io.conflictmon.streams.testing.TestReports.month;
import static io.conflictmon.streams.testing.TestReports.year;

import io.conflictmon.avro.CasualtyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real OHCHR month and year tables as casualty reports (source {@code ohchr}), as the ingest importers make them. */
public final class OhchrCsv {

  public static final String MONTHLY_FILE = "ohchr_civilian_casualties_monthly.csv";
  public static final String ANNUAL_FILE = "ohchr_civilian_casualties_annual.csv";

  private OhchrCsv() {
  }

  public static boolean available() {
    return Files.isReadable(AirForceCsv.dataDir().resolve(MONTHLY_FILE))
        && Files.isReadable(AirForceCsv.dataDir().resolve(ANNUAL_FILE));
  }

  public static List<CasualtyReport> read() throws IOException {
    Path data = AirForceCsv.dataDir();
    List<CasualtyReport> reports = new ArrayList<>();
    List<String> monthly = Files.readAllLines(data.resolve(MONTHLY_FILE));
    for (String line : monthly.subList(1, monthly.size())) {
      String[] cells = line.split(",", -1);
      CasualtyReport report = month("ohchr", cells[0], Integer.parseInt(cells[1]), Integer.parseInt(cells[2]));
      reports.add(CasualtyReport.newBuilder(report)
          .setChildrenKilled(cells[3].isBlank() ? null : Integer.parseInt(cells[3]))
          .setChildrenInjured(cells[4].isBlank() ? null : Integer.parseInt(cells[4]))
          .build());
    }
    List<String> annual = Files.readAllLines(data.resolve(ANNUAL_FILE));
    for (String line : annual.subList(1, annual.size())) {
      String[] cells = line.split(",", 4);
      reports.add(year("ohchr", Integer.parseInt(cells[0]), Integer.parseInt(cells[1]), Integer.parseInt(cells[2])));
    }
    return reports;
  }
}
