"""PyTorch peer of the tfjs 2D U-Net (extension/src/core/models/unet.ts) for the speed table of
bench/isbi.bench.ts: same layers (two 3x3 ReLU convs per level, max pooling, nearest upsampling + 3x3
conv, skip concatenation, 1x1 sigmoid head), same integral coordinates (Eq. 2) and L1 loss, Adam.

Usage: /usr/bin/python3 bench/torch/unet_speed.py '{"inputShape":[128,96],"depth":4,"baseFilters":8,
"landmarks":19,"batch":4,"threads":2,"steps":5,"inferences":5}'
Prints one JSON line: {"trainStepMs": median, "inferenceMs": median, "parameters": n, "torch": version}.
"""
import json
import statistics
import sys
import time

import torch
from torch import nn


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, depth, base, landmarks):
        super().__init__()
        f = [base * 2**level for level in range(depth)]
        self.down = nn.ModuleList([block(1 if i == 0 else f[i - 1], f[i]) for i in range(depth)])
        self.up_conv = nn.ModuleList([nn.Sequential(nn.Conv2d(f[i + 1], f[i], 3, padding=1), nn.ReLU()) for i in range(depth - 1)])
        self.up_block = nn.ModuleList([block(2 * f[i], f[i]) for i in range(depth - 1)])
        self.head = nn.Conv2d(f[0], landmarks, 1)
        nn.init.constant_(self.head.bias, -4.0)

    def forward(self, x):
        skips = []
        for i, b in enumerate(self.down):
            x = b(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = nn.functional.max_pool2d(x, 2)
        for i in reversed(range(len(self.up_block))):
            x = self.up_conv[i](nn.functional.interpolate(x, scale_factor=2, mode="nearest"))
            x = self.up_block[i](torch.cat([skips[i], x], dim=1))
        return torch.sigmoid(self.head(x))


def integral(heat):
    b, n, h, w = heat.shape
    gamma = heat.sum(dim=(2, 3))
    xs = (torch.arange(w, dtype=heat.dtype) + 0.5) / w
    ys = (torch.arange(h, dtype=heat.dtype) + 0.5) / h
    x = (heat.sum(dim=2) * xs).sum(dim=2) / gamma
    y = (heat.sum(dim=3) * ys).sum(dim=2) / gamma
    return torch.stack([x, y], dim=2)


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg.get("threads", 2))
    torch.manual_seed(0)
    h, w = cfg["inputShape"]
    net = UNet(cfg["depth"], cfg["baseFilters"], cfg["landmarks"])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(cfg["batch"], 1, h, w)
    target = torch.rand(cfg["batch"], cfg["landmarks"], 2)
    times = []
    for i in range(cfg.get("steps", 5) + 1):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = (integral(net(x)) - target).abs().sum(dim=2).mean()
        loss.backward()
        opt.step()
        if i > 0:  # the first step warms up
            times.append((time.perf_counter() - t0) * 1000)
    net.eval()
    one = torch.rand(1, 1, h, w)
    inf = []
    with torch.no_grad():
        for i in range(cfg.get("inferences", 5) + 1):
            t0 = time.perf_counter()
            integral(net(one))
            if i > 0:
                inf.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        "trainStepMs": statistics.median(times),
        "inferenceMs": statistics.median(inf),
        "parameters": sum(p.numel() for p in net.parameters()),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
