/**
 * The HTML run report of {@code btw report}: a self-contained page (inline SVG charts drawn with JFreeChart and
 * JFreeSVG, no scripts, no external files) built from a run directory.
 */
package dev.btw.cli.report;
