/** The engine-neutral core of btw: BTW weights, mutual information, metrics and data models on plain arrays. */
package dev.btw.core;
