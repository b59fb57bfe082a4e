package dev.btw.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    private static final Pattern CLIP_ID = Pattern.compile("clipPath id='([^']+)'");

    private static String chart(double y) {
        return SvgChart.lines("t", "x", "y", Map.of("a", List.of(new double[] {0, 1}, new double[] {1, y})));
    }

    private static String firstClipId(String svg) {
        Matcher m = CLIP_ID.matcher(svg);
        assertTrue(m.find(), "no clip path in " + svg);
        return m.group(1);
    }

    @Test
    void theSameChartRendersToTheSameBytes() {
        assertEquals(chart(2), chart(2));
    }

    @Test
    void differentChartsKeepTheirDefinitionIdsApart() {
        String a = chart(2);
        String b = chart(3);
        assertNotEquals(firstClipId(a), firstClipId(b));
        assertTrue(!a.contains("_btwdefs") && !b.contains("_btwdefs"));
    }
}
