package io.thetalazy.experiments.report;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.kernels.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts (XChart), headless. */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** One chart with a line per series (x and y of equal length); log axes as asked; non-positive points dropped on log axes. */
    public static void lines(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
            boolean logX, boolean logY, boolean markers) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        boolean any = false;
        for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
            double[] x = entry.getValue().get(0);
            double[] y = entry.getValue().get(1);
            java.util.List<Double> xs = new java.util.ArrayList<>();
            java.util.List<Double> ys = new java.util.ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                boolean keep = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0);
                if (keep) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(entry.getKey(), xs, ys);
            line.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            any = true;
        }
        if (!any) {
            return;
        }
        AtomicFiles.write(file, out -> {
            try {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new FrameworkException(INVALID_FILE, "cannot write plot " + file + ": " + e.getMessage(), e);
            }
        });
    }
}
