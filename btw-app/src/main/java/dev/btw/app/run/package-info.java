/**
 * The run directory that {@code btw train} writes and every later command reads: {@link dev.btw.app.run.RunDirectory}
 * owns its layout (every file and folder name), its readers and its atomic writers; {@link dev.btw.app.run.RunModel}
 * is the trained model's description ({@code model.json}) that lets a run directory travel alone;
 * {@link dev.btw.app.run.MethodMetrics} and {@link dev.btw.app.run.SplitMetrics} are the metrics of
 * {@code metrics.json}.
 */
package dev.btw.app.run;
