package io.conflictmon.ingest.importer;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar over the bytes of the file, with the row count (me.tongfei:progressbar). */
public final class ProgressBarListener implements ImportProgressListener {
    private ProgressBar bar;

    @Override
    public void started(String file, ImportFormat format, long totalBytes) {
        bar = new ProgressBarBuilder()
                .setTaskName("import " + file)
                .setInitialMax(Math.max(totalBytes, 1))
                .setUnit(" KiB", 1024)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .build();
    }

    @Override
    public void progressed(long rowsRead, long bytesRead) {
        if (bar != null) {
            bar.stepTo(bytesRead);
            bar.setExtraMessage(" " + rowsRead + " rows");
        }
    }

    @Override
    public void finished(ImportSummary summary) {
        if (bar != null) {
            bar.stepTo(bar.getMax());
            bar.close();
            bar = null;
        }
        System.out.println(summary); // the closing summary belongs on the terminal the bar was on
    }
}
