/** File input and output shared by every module: atomic writes, CSV tables keyed by instance id. */
package dev.btw.core.io;
