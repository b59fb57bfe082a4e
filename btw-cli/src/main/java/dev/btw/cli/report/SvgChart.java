package dev.btw.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** Draws the report's charts with JFreeChart and returns them as inline SVG markup. */
public final class SvgChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 320;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SvgChart() {}

    /**
     * A line chart with one line per named series.
     *
     * @param title the chart title
     * @param xLabel the x-axis label
     * @param yLabel the y-axis label
     * @param series series name to points, each {@code {x, y}}
     * @return SVG markup
     */
    public static String lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                s.add(p[0], p[1]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        if (series.values().stream().flatMap(List::stream).allMatch(p -> p[0] == Math.rint(p[0]))) {
            ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        style(chart);
        return render(chart);
    }

    /**
     * Overlaid histograms, one per named sample.
     *
     * @param title the chart title
     * @param xLabel the x-axis label
     * @param samples sample name to values
     * @param bins number of bins
     * @return SVG markup
     */
    public static String histogram(String title, String xLabel, Map<String, double[]> samples, int bins) {
        HistogramDataset data = new HistogramDataset();
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            if (e.getValue().length > 0) {
                data.addSeries(e.getKey(), e.getValue(), bins);
            }
        }
        JFreeChart chart = ChartFactory.createHistogram(
                title, xLabel, "instances", data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setForegroundAlpha(0.6f);
        style(chart);
        return render(chart);
    }

    /**
     * A bar chart: one bar per category, grouped by series.
     *
     * @param title the chart title
     * @param valueLabel the value-axis label
     * @param values series name to (category to value)
     * @return SVG markup
     */
    public static String bars(String title, String valueLabel, Map<String, Map<String, Double>> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, Map<String, Double>> s : values.entrySet()) {
            for (Map.Entry<String, Double> c : s.getValue().entrySet()) {
                data.addValue(c.getValue(), s.getKey(), c.getKey());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(
                title, null, valueLabel, data, PlotOrientation.HORIZONTAL, values.size() > 1, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7, 0xF7, 0xF7));
        return render(chart);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7, 0xF7, 0xF7));
        if (chart.getPlot() instanceof XYPlot) {
            XYPlot plot = (XYPlot) chart.getPlot();
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
    }

    /** Placeholder for the ids of the SVG's definitions (clip paths), replaced after rendering. */
    private static final String DEFS_PLACEHOLDER = "_btwdefs";

    /**
     * Renders the chart. JFreeSVG prefixes the ids of its definitions with the clock by default, so the same chart
     * gave different bytes at every run; the prefix is instead a hash of the rendered content, which keeps the ids
     * of different charts on one HTML page apart and makes the output reproducible.
     */
    private static String render(JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(DEFS_PLACEHOLDER);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        String svg = g.getSVGElement();
        return svg.replace(DEFS_PLACEHOLDER, "_" + Integer.toHexString(svg.hashCode()));
    }
}
