/**
 * Distributed encoding on Apache Spark: {@link dev.btw.spark.SparkEncoding} fills the same feature store as
 * {@code btw encode}, with the shards encoded by Spark executors; {@link dev.btw.spark.SparkEncode} is its
 * {@code spark-submit} entry point.
 */
package dev.btw.spark;
