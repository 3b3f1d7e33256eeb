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

    /** Distinct series colours (matplotlib's tab10), so a line and its fit can share one. */
    private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd),
        new java.awt.Color(0x8c564b), new java.awt.Color(0xe377c2), new java.awt.Color(0x7f7f7f),
        new java.awt.Color(0xbcbd22), new java.awt.Color(0x17becf)};

    private Plots() {}

    /**
     * Measured points and their fitted power law on log-log axes.
     *
     * @param legend the series' name, the fit's slope added to it when there is a fit
     * @param fit the least-squares line through the points, or null
     */
    public record FitSeries(String legend, double[] x, double[] y, io.thetalazy.experiments.sweep.SlopeFit fit) {}

    /**
     * One log-log chart: per series its points joined by a solid line, and its fit as a dashed line in the same
     * colour, with the slope and its standard error in the legend. Writes nothing when no series has a positive point.
     */
    public static void logLogFits(Path file, String title, String xLabel, String yLabel, List<FitSeries> series) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        boolean any = false;
        int index = 0;
        for (FitSeries s : series) {
            java.util.List<Double> xs = new java.util.ArrayList<>();
            java.util.List<Double> ys = new java.util.ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (s.x()[i] > 0 && s.y()[i] > 0 && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            java.awt.Color colour = PALETTE[index++ % PALETTE.length];
            XYSeries points = chart.addSeries(s.legend(), xs, ys);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setLineColor(colour);
            points.setMarkerColor(colour);
            if (s.fit() != null) {
                double low = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                double high = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                double a = s.fit().intercept();
                double b = s.fit().slope();
                XYSeries line = chart.addSeries("%s fit: slope %+.3f +- %.3f".formatted(s.legend(), b,
                        s.fit().standardError()), new double[] {low, high},
                        new double[] {Math.exp(a + b * Math.log(low)), Math.exp(a + b * Math.log(high))});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(colour);
                line.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            }
            any = true;
        }
        if (any) {
            save(file, chart);
        }
    }

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
        if (any) {
            save(file, chart);
        }
    }

    /**
     * A series of a linear chart.
     *
     * @param errors error bars (one per point), or null
     * @param line a line without markers (a theory curve) rather than markers joined by a line
     */
    public record Series(String legend, double[] x, double[] y, double[] errors, boolean line) {}

    /** One chart on linear axes; non-finite points are dropped. Writes nothing when no series has a point. */
    public static void linear(Path file, String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        boolean any = false;
        int index = 0;
        for (Series s : series) {
            java.util.List<Double> xs = new java.util.ArrayList<>();
            java.util.List<Double> ys = new java.util.ArrayList<>();
            java.util.List<Double> es = new java.util.ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                    es.add(s.errors() == null || !Double.isFinite(s.errors()[i]) ? 0 : s.errors()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            java.awt.Color colour = PALETTE[index++ % PALETTE.length];
            XYSeries added = s.errors() == null ? chart.addSeries(s.legend(), xs, ys)
                    : chart.addSeries(s.legend(), xs, ys, es);
            added.setMarker(s.line() ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            added.setLineColor(colour);
            added.setMarkerColor(colour);
            if (s.line()) {
                added.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            }
            any = true;
        }
        if (any) {
            save(file, chart);
        }
    }

    /**
     * A heat map of {@code values} over a grid: each entry {x, y, value} with x among {@code xs} and y among
     * {@code ys}; missing grid points stay empty.
     */
    public static void heatMap(Path file, String title, String xLabel, String yLabel, List<Double> xs, List<Double> ys,
            List<double[]> values) {
        java.util.List<Double> sortedX = xs.stream().sorted().toList();
        java.util.List<Double> sortedY = ys.stream().sorted().toList();
        org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(900).height(600)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(0x2166ac), java.awt.Color.WHITE,
            new java.awt.Color(0xb2182b)});
        java.util.List<Number[]> heat = new java.util.ArrayList<>();
        double largest = 1e-12;
        for (double[] v : values) {
            heat.add(new Number[] {sortedX.indexOf(v[0]), sortedY.indexOf(v[1]), Math.round(v[2] * 100) / 100.0});
            largest = Math.max(largest, Math.abs(v[2]));
        }
        chart.getStyler().setMin(-largest);   // white at zero: the sign is what the map shows
        chart.getStyler().setMax(largest);
        java.util.List<String> xNames = sortedX.stream().map(x -> String.format(java.util.Locale.ROOT, "%.3g", x))
                .toList();
        java.util.List<String> yNames = sortedY.stream().map(y -> String.format(java.util.Locale.ROOT, "%.3g", y))
                .toList();
        chart.addSeries("slope", xNames, yNames, heat);
        AtomicFiles.write(file, out -> {
            try {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new FrameworkException(INVALID_FILE, "cannot write plot " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * A series of a {@link #scatter} chart.
     *
     * @param joined its points joined by a line without markers (a function on a grid), else markers alone
     */
    public record Points(String legend, double[] x, double[] y, boolean joined) {}

    /**
     * One chart of point clouds and lines on linear axes, a colour per series (tab10, in order); non-finite points
     * dropped. Writes nothing when no series has a point.
     */
    public static void scatter(Path file, String title, String xLabel, String yLabel, List<Points> series) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(5);
        boolean any = false;
        int index = 0;
        for (Points s : series) {
            java.util.List<Double> xs = new java.util.ArrayList<>();
            java.util.List<Double> ys = new java.util.ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            java.awt.Color colour = PALETTE[index++ % PALETTE.length];
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries points = chart.addSeries(s.legend(), xs, ys);
            points.setLineColor(colour);
            points.setMarkerColor(colour);
            if (s.joined()) {
                points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                points.setMarker(SeriesMarkers.NONE);
            } else {
                points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                points.setMarker(SeriesMarkers.CIRCLE);
            }
            any = true;
        }
        if (any) {
            save(file, chart);
        }
    }

    /**
     * A bar chart: per category one bar per series, each value {mean, error} (error bars where finite).
     */
    public static void bars(Path file, String title, String yLabel, List<String> categories,
            Map<String, List<double[]>> series) {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(1000).height(600)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(30);
        int index = 0;
        for (Map.Entry<String, List<double[]>> entry : new java.util.TreeMap<>(series).entrySet()) {
            java.util.List<Double> values = entry.getValue().stream().map(v -> Double.isFinite(v[0]) ? v[0] : 0.0)
                    .toList();
            java.util.List<Double> errors = entry.getValue().stream().map(v -> Double.isFinite(v[1]) ? v[1] : 0.0)
                    .toList();
            var bars = chart.addSeries(entry.getKey(), categories, values, errors);
            bars.setFillColor(PALETTE[index++ % PALETTE.length]);
        }
        AtomicFiles.write(file, out -> {
            try {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new FrameworkException(INVALID_FILE, "cannot write plot " + file + ": " + e.getMessage(), e);
            }
        });
    }

    private static void save(Path file, XYChart chart) {
        AtomicFiles.write(file, out -> {
            try {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new FrameworkException(INVALID_FILE, "cannot write plot " + file + ": " + e.getMessage(), e);
            }
        });
    }
}
