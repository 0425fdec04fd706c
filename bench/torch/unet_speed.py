"""PyTorch peer of the tfjs 2D/3D U-Net (extension/src/core/models/unet.ts) for the speed tables of
bench/speed.bench.ts and bench/isbi.bench.ts: same layers (two 3x3(x3) ReLU convs per level, max
pooling, nearest upsampling + 3x3(x3) conv, skip concatenation, 1x1(x1) sigmoid head), same integral
coordinates (Eq. 2) and L1 loss, Adam. A 3-long inputShape [D, H, W] builds the 3D network.

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


def block(conv, cin, cout):
    return nn.Sequential(conv(cin, cout, 3, padding=1), nn.ReLU(), conv(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, depth, base, landmarks, rank=2):
        super().__init__()
        conv = nn.Conv3d if rank == 3 else nn.Conv2d
        self.pool = nn.functional.max_pool3d if rank == 3 else nn.functional.max_pool2d
        f = [base * 2**level for level in range(depth)]
        self.down = nn.ModuleList([block(conv, 1 if i == 0 else f[i - 1], f[i]) for i in range(depth)])
        self.up_conv = nn.ModuleList([nn.Sequential(conv(f[i + 1], f[i], 3, padding=1), nn.ReLU()) for i in range(depth - 1)])
        self.up_block = nn.ModuleList([block(conv, 2 * f[i], f[i]) for i in range(depth - 1)])
        self.head = conv(f[0], landmarks, 1)
        nn.init.constant_(self.head.bias, -4.0)

    def forward(self, x):
        skips = []
        for i, b in enumerate(self.down):
            x = b(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = self.pool(x, 2)
        for i in reversed(range(len(self.up_block))):
            x = self.up_conv[i](nn.functional.interpolate(x, scale_factor=2, mode="nearest"))
            x = self.up_block[i](torch.cat([skips[i], x], dim=1))
        return torch.sigmoid(self.head(x))


def integral(heat):
    """Expected coordinate per spatial axis, last axis (x) first, in (0, 1): [B, N, rank]."""
    spatial = list(range(2, heat.dim()))
    gamma = heat.sum(dim=spatial)
    coords = []
    for axis in reversed(spatial):
        n = heat.shape[axis]
        grid = (torch.arange(n, dtype=heat.dtype) + 0.5) / n
        marginal = heat.sum(dim=[a for a in spatial if a != axis])
        coords.append((marginal * grid).sum(dim=2) / gamma)
    return torch.stack(coords, dim=2)


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg.get("threads", 2))
    torch.manual_seed(0)
    shape = cfg["inputShape"]
    net = UNet(cfg["depth"], cfg["baseFilters"], cfg["landmarks"], len(shape))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(cfg["batch"], 1, *shape)
    target = torch.rand(cfg["batch"], cfg["landmarks"], len(shape))
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
    one = torch.rand(1, 1, *shape)
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
