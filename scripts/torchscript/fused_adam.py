#!/usr/bin/python3
"""Writes btw-djl/src/main/resources/dev/btw/djl/training/fused_adam.pt, the Adam step FusedAdam runs.

One call does what torch.optim.Adam(weight_decay=wd).step() followed by zero_grad() does for the parameters it
is given, with the engine's fused kernel (one pass over each parameter, no temporaries). DJL's Trainer calls the
optimiser once per parameter; the gradient-norm clipping runs before, in the GradientClipping listener. Scripted
with Debian's python3-torch 1.13; DJL's libtorch 2.7.1 loads it and supplies the CPU kernel of aten::_fused_adam_.

    /usr/bin/python3 scripts/torchscript/fused_adam.py
"""
import os
from typing import List

import torch
from torch import Tensor


class FusedAdamStep(torch.nn.Module):
    def forward(self, params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor],
                steps: List[Tensor], lr: float, weight_decay: float) -> Tensor:
        torch._foreach_add_(steps, 1.0)
        empty: List[Tensor] = []
        torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, empty, steps, lr=lr, beta1=0.9, beta2=0.999,
                           weight_decay=weight_decay, eps=1e-8, amsgrad=False, maximize=False)
        torch._foreach_zero_(grads)
        return steps[0]


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "..", "btw-djl", "src", "main", "resources", "dev", "btw", "djl", "training",
                       "fused_adam.pt")
    torch.jit.script(FusedAdamStep()).save(os.path.normpath(out))
    print("wrote", os.path.normpath(out))
