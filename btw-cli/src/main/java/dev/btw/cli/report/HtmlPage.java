package dev.btw.cli.report;

import java.util.List;

/** Builds a small self-contained HTML page: headings, paragraphs, tables and inline SVG, with one stylesheet. */
public final class HtmlPage {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    /** @param title the page title */
    public HtmlPage(String title) {
        this.title = title;
    }

    /**
     * @param text raw text
     * @return the text with HTML's special characters escaped
     */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * @param level 1 to 3
     * @param text the heading
     * @return this
     */
    public HtmlPage heading(int level, String text) {
        body.append("<h")
                .append(level)
                .append('>')
                .append(escape(text))
                .append("</h")
                .append(level)
                .append(">\n");
        return this;
    }

    /**
     * @param text a paragraph of plain text
     * @return this
     */
    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * @param header column names
     * @param rows cells as plain text
     * @return this
     */
    public HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        for (String h : header) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                body.append("<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * @param svg SVG markup produced by {@link SvgChart}
     * @return this
     */
    public HtmlPage figure(String svg) {
        body.append("<figure>").append(svg).append("</figure>\n");
        return this;
    }

    /** @return the whole page */
    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n"
                + "body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}\n"
                + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;"
                + "text-align:right}th{background:#eee}td:first-child,th:first-child{text-align:left}\n"
                + "figure{margin:1em 0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em}\n"
                + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }
}
