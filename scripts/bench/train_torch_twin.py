#!/usr/bin/python3
"""Eager PyTorch twin of btw's MoE fusion model, for `btw bench train` comparisons.

Same model (btw-method.md; dev.btw.djl.model.MoeFusionBlock), same generated data, same optimiser settings
(Adam lr 1e-4, weight decay 1e-4, gradient-norm clip 0.8, L1 loss, batch 32), one warm-up epoch, then timed
epochs; prints one JSON line with `train_samples_per_s`. Run with Debian's python3-torch (1.13):

    /usr/bin/python3 scripts/bench/train_torch_twin.py --threads 1

--dispatch loop (default) runs experts as separate modules over the tokens routed to each, the way the
reference FuseMoE code does (SparseDispatcher); --dispatch batched stacks expert weights and runs two batched
matrix products over a padded [E, C, d] dispatch, the way btw-djl does.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalMixing(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.conv3 = nn.Conv1d(1, 1, 3, padding=1)
        self.conv1 = nn.Conv1d(1, 1, 1)
        self.norm = nn.LayerNorm(d)

    def forward(self, x):  # [N, d]
        c = self.conv1(self.conv3(x.unsqueeze(1))).squeeze(1)
        return self.norm(F.relu(c) + x)


class FeedForward(nn.Module):
    def __init__(self, d, f):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc_in = nn.Linear(d, f)
        self.fc_out = nn.Linear(f, d)

    def forward(self, x):
        return x + self.fc_out(F.relu(self.fc_in(self.norm(x))))


class Expert(nn.Module):
    def __init__(self, d, eh, out):
        super().__init__()
        self.fc1 = nn.Linear(d, eh)
        self.fc2 = nn.Linear(eh, out)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class SparseMoe(nn.Module):
    def __init__(self, m, d, experts, k, eh, dispatch):
        super().__init__()
        self.m, self.d, self.e, self.k, self.dispatch = m, d, experts, k, dispatch
        self.centres = nn.Parameter(torch.randn(m, d, experts) * math.sqrt(2.0 / (d + experts)))
        self.noise_weight = nn.Parameter(torch.zeros(m, d, experts))
        if dispatch == "loop":
            self.experts = nn.ModuleList([Expert(d, eh, d * m) for _ in range(experts)])
        else:
            self.w1 = nn.Parameter(torch.randn(experts, d, eh) * math.sqrt(2.0 / (d + eh)))
            self.b1 = nn.Parameter(torch.zeros(experts, 1, eh))
            self.w2 = nn.Parameter(torch.randn(experts, eh, d * m) * math.sqrt(2.0 / (eh + d * m)))
            self.b2 = nn.Parameter(torch.zeros(experts, 1, d * m))

    def forward(self, x):  # [M, B, d]
        m, b, d = x.shape
        n = m * b
        cross = torch.matmul(x, self.centres)
        d2 = (x * x).sum(2, keepdim=True) + (self.centres * self.centres).sum(1, keepdim=True) - 2 * cross
        logits = -d2.clamp_min(1e-12).sqrt()
        if self.training:
            std = F.softplus(torch.matmul(x, self.noise_weight)) + 0.01
            logits = logits + torch.randn_like(logits) * std
        logits = logits.reshape(n, self.e)
        top, idx = logits.topk(self.k, dim=1)
        log_gates = F.log_softmax(top, dim=1)  # [N, k]
        tokens = x.reshape(n, d)
        out_w = d * m
        if self.dispatch == "loop":
            flat = idx.reshape(-1)
            order = torch.argsort(flat, stable=True)
            token_of = order // self.k
            counts = torch.bincount(flat, minlength=self.e).tolist()
            routed_in = tokens[token_of]
            outs = []
            start = 0
            for e, c in enumerate(counts):
                if c > 0:
                    outs.append(self.experts[e](routed_in[start:start + c]))
                start += c
            y_sorted = torch.cat(outs, 0)
            y = torch.empty_like(y_sorted).index_copy(0, order, y_sorted).reshape(n, self.k, out_w)
        else:
            flat = idx.reshape(-1).tolist()
            load = [0] * self.e
            for e in flat:
                load[e] += 1
            cap = max(1, max(load))
            gather = [0] * (self.e * cap)
            pos = [0] * (n * self.k)
            fill = [0] * self.e
            for a, e in enumerate(flat):
                p = e * cap + fill[e]
                fill[e] += 1
                gather[p] = a // self.k
                pos[a] = p
            xd = tokens[torch.tensor(gather)].reshape(self.e, cap, d)
            h = F.gelu(torch.matmul(xd, self.w1) + self.b1)
            yd = (torch.matmul(h, self.w2) + self.b2).reshape(self.e * cap, out_w)
            y = yd[torch.tensor(pos)].reshape(n, self.k, out_w)
        z = y + log_gates.unsqueeze(2)
        combined = torch.logsumexp(z, dim=1)  # log(sum_e g_e exp(y_e))
        summed = combined.reshape(m, b, out_w).sum(0)
        return summed.reshape(b, m, d).transpose(0, 1)


class FusionLayer(nn.Module):
    def __init__(self, m, d, experts, k, eh, ff, dispatch):
        super().__init__()
        self.mixing = LocalMixing(d)
        self.moe = SparseMoe(m, d, experts, k, eh, dispatch)
        self.feed_forward = FeedForward(d, ff)

    def forward(self, h):
        m, b, d = h.shape
        a = self.mixing(h.reshape(m * b, d)).reshape(m, b, d)
        return self.feed_forward(self.moe(a) + h)


class MoeFusion(nn.Module):
    def __init__(self, dims, d=128, layers=2, experts=16, k=2, eh=768, ff=512, head=128, out=1, dropout=0.1,
                 dispatch="loop"):
        super().__init__()
        m = len(dims)
        self.d = d
        self.projections = nn.ModuleList(
            [nn.Sequential(nn.Linear(di, d), nn.ReLU(), nn.Linear(d, d)) for di in dims])
        self.layers = nn.ModuleList([FusionLayer(m, d, experts, k, eh, ff, dispatch) for _ in range(layers)])
        self.final_norm_gamma = nn.Parameter(torch.ones(m, 1, d))
        self.final_norm_beta = nn.Parameter(torch.zeros(m, 1, d))
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(d * m, head), nn.Tanh(), nn.Linear(head, head),
                                  nn.Tanh(), nn.Linear(head, out))
        for name, p in self.named_parameters():
            if p.dim() > 1 and "centres" not in name and "noise" not in name and ".w" not in name[-3:]:
                nn.init.xavier_normal_(p)

    def forward(self, xs, weights):  # xs: list of [B, d_m]; weights [B, M]
        z = torch.stack([p(x) for p, x in zip(self.projections, xs)], 0)
        h = z * (weights.t().unsqueeze(2) * math.sqrt(self.d))
        for layer in self.layers:
            h = layer(h)
        h = F.layer_norm(h, (self.d,)) * self.final_norm_gamma + self.final_norm_beta
        m, b, d = h.shape
        return self.head(h.transpose(0, 1).reshape(b, m * d))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", default="768,64,64")
    ap.add_argument("--n", type=int, default=2048)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--experts", type=int, default=16)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dispatch", choices=["loop", "batched"], default="loop")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dims = [int(v) for v in a.dims.split(",")]
    xs = [torch.randn(a.n, d) for d in dims]
    y = sum(x[:, 0] for x in xs) + 0.1 * torch.randn(a.n)
    y = y.unsqueeze(1)
    model = MoeFusion(dims, layers=a.layers, experts=a.experts, k=a.top_k, dispatch=a.dispatch)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-4)
    w = torch.ones(a.batch, len(dims))
    timed = 0.0
    loss = None
    phases = [0.0, 0.0, 0.0]
    steps = 0
    for epoch in range(a.epochs + 1):
        t0 = time.perf_counter()
        for start in range(0, a.n, a.batch):
            sl = slice(start, min(a.n, start + a.batch))
            batch_x = [x[sl] for x in xs]
            s0 = time.perf_counter()
            pred = model(batch_x, w[: batch_x[0].shape[0]])
            loss = (pred - y[sl]).abs().mean()
            float(loss)
            s1 = time.perf_counter()
            opt.zero_grad()
            loss.backward()
            s2 = time.perf_counter()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.8)
            opt.step()
            s3 = time.perf_counter()
            if epoch > 0:
                phases[0] += s1 - s0
                phases[1] += s2 - s1
                phases[2] += s3 - s2
                steps += 1
        if epoch > 0:
            timed += time.perf_counter() - t0
    print(json.dumps({"bench": "train", "impl": "torch-eager-" + a.dispatch, "torch": torch.__version__,
                      "dims": dims, "n": a.n, "threads": a.threads, "experts": a.experts, "top_k": a.top_k,
                      "layers": a.layers, "batch": a.batch, "epochs_timed": a.epochs,
                      "train_samples_per_s": round(a.n * a.epochs / timed, 1), "epoch_s": round(timed / a.epochs, 4),
                      "last_loss": round(float(loss), 4),
                      "step_ms": {"forward": round(1000 * phases[0] / steps, 2),
                                  "backward": round(1000 * phases[1] / steps, 2),
                                  "optimiser": round(1000 * phases[2] / steps, 2)}}))


if __name__ == "__main__":
    main()
