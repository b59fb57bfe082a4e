/**
 * Benchmarks behind {@code btw bench}: training throughput ({@link dev.btw.bench.TrainBenchmark}), the
 * scale run on generated data ({@link dev.btw.bench.ScaleBenchmark}) and exported-model inference latency
 * against ONNX Runtime ({@link dev.btw.bench.InferenceBenchmark}). Not product code: nothing in the
 * training, export or encoding paths depends on this package. They print figures; they are not timed tests.
 */
package dev.btw.bench;
