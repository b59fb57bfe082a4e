#!/usr/bin/python3
"""Writes btw-djl/src/main/resources/dev/btw/djl/training/fused_adam.pt, the Adam step FusedAdam runs.

One call does what torch.nn.utils.clip_grad_norm_ + torch.optim.Adam(weight_decay=wd).step() + zero_grad() do for
the parameters it is given, with the engine's multi-tensor kernels (one pass over each parameter, no temporaries).
With adam=False it only clips (for parameter groups with their own learning rates, clipped together first). FusionTrainer
passes gradients of per-step leaves, which die with the step, and asks for no zeroing.
Scripted with Debian's python3-torch 1.13; DJL's libtorch 2.7.1 loads it and supplies the CPU kernel of
aten::_fused_adam_.

    /usr/bin/python3 scripts/torchscript/fused_adam.py
"""
import os
from typing import List

import torch
from torch import Tensor


class FusedAdamStep(torch.nn.Module):
    def forward(self, params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor],
                steps: List[Tensor], lr: float, weight_decay: float, max_norm: float, adam: bool,
                zero_grads: bool) -> Tensor:
        total = torch.zeros(1)
        if max_norm > 0.0:
            norms = torch._foreach_norm(grads)
            total = torch.linalg.vector_norm(torch.stack(norms))
            coef = max_norm / (float(total.item()) + 1e-6)
            if coef < 1.0:
                torch._foreach_mul_(grads, coef)
        if adam:
            torch._foreach_add_(steps, 1.0)
            empty: List[Tensor] = []
            torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, empty, steps, lr=lr, beta1=0.9, beta2=0.999,
                               weight_decay=weight_decay, eps=1e-8, amsgrad=False, maximize=False)
            if zero_grads:
                torch._foreach_zero_(grads)
        return total


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "..", "btw-djl", "src", "main", "resources", "dev", "btw", "djl", "training",
                       "fused_adam.pt")
    torch.jit.script(FusedAdamStep()).save(os.path.normpath(out))
    print("wrote", os.path.normpath(out))
