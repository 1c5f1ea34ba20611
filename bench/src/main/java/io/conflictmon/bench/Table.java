package io.conflictmon.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table of benchmark rounds with a median row, for a terminal and for pasting into notes.
 * (Hand-written: a dozen lines; a table library would be a dependency for one printout.)
 */
final class Table {
    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    void row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(Table::format).toArray(String[]::new));
    }

    void print(PrintStream out) {
        int[] widths = headers.stream().mapToInt(String::length).toArray();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        out.println(line(headers.toArray(String[]::new), widths));
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(width));
        }
        out.println(rule);
        rows.forEach(row -> out.println(line(row, widths)));
        out.flush();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append(" | ");
            }
            line.append(c == 0 ? String.format("%-" + widths[c] + "s", cells[c]) : String.format("%" + widths[c] + "s", cells[c]));
        }
        return line.toString();
    }

    private static String format(Object cell) {
        if (cell instanceof Double d) {
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
        }
        return String.valueOf(cell);
    }
}
