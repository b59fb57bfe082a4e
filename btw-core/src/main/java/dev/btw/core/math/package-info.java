/**
 * Small numeric functions shared by training and export ({@link dev.btw.core.math.Softmax}). Engine-neutral; plain
 * arrays in and out.
 */
package dev.btw.core.math;
