"""PyTorch peer of the ISBI pre-training (the `supervised` row of bench/isbi.bench.ts) for accuracy, not
speed: the same U-Net as unet_speed.py, the same input (the letterboxed images that bench:isbi caches),
the same loss (L1 on integral coordinates, Eq. 1-2), Adam, batch, step budget and augmentation ranges
(rotation, translation, Gaussian noise, intensity jitter: extension/src/core/data/augmentBatch.ts).
If tfjs and PyTorch reach about the same Test1 MRE with the same budget, the error comes from the
set-up (resolution, capacity, budget), not from our tfjs implementation.

Usage: /usr/bin/python3 bench/torch/unet_accuracy.py '{"cache": ".cache/isbi", "data": "../shared/data/isbi2015",
  "inputShape": [128, 96], "depth": 4, "baseFilters": 8, "labelled": 150, "steps": 1000, "curveEvery": 190,
  "lr": 0.001, "batch": 4, "threads": 1, "seed": 1, "tfjsInit": true, "clipNorm": 1}'
Optional: "device": "cuda" (a GPU where PyTorch has one; default cpu) and "pack": a folder written by
bench/torch/pack_inputs.py (the same cached inputs as float16 arrays, to carry them to another machine).
Prints one JSON line per curve point, then {"final": {...}}: Test1 MRE (mm), SD, SDR 2/2.5/3/4 mm.
"""
import csv
import functools
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

from unet_speed import UNet

SPACING_MM = 0.1
AUGMENTATION = {"rotationDeg": 5, "translation": 0.05, "noiseSd": 0.02, "intensityJitter": 0.1}


def load_ids(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def load_table(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return {r[0]: np.array([float(v) for v in r[1:]]).reshape(-1, 2) for r in rows[1:]}


def load_sample(cache, image_id, shape):
    """The letterboxed input that bench:isbi cached: float32 H x W in [0, 1] and its letterbox."""
    base = os.path.join(cache, f"{image_id}-{shape[0]}x{shape[1]}-{SPACING_MM}_{SPACING_MM}")
    image = np.fromfile(base + ".f32", dtype=np.float32).reshape(shape)
    with open(base + ".json") as f:
        box = json.load(f)["letterbox"]
    return image, box


@functools.lru_cache(maxsize=None)
def read_packs(folder, shape):
    """Every packed input of one size, by id: read once, however many id lists ask for them."""
    images, boxes = {}, {}
    for name in ("train", "test1"):
        base = os.path.join(folder, f"{name}-{shape[0]}x{shape[1]}")
        if not os.path.exists(base + ".json"):
            continue
        with open(base + ".json") as f:
            meta = json.load(f)
        array = np.load(base + ".f16.npy").astype(np.float32)
        for k, i in enumerate(meta["ids"]):
            images[i], boxes[i] = array[k], meta["boxes"][k]
    return images, boxes


def load_packed(folder, ids, shape, device):
    """Inputs from pack_inputs.py: every id of `ids` must be in one of the packed sets."""
    images, boxes = read_packs(folder, tuple(shape))
    missing = [i for i in ids if i not in images]
    if missing:
        raise SystemExit(f"pack {folder}: no {shape[0]}x{shape[1]} input for images {missing[:5]}")
    return torch.tensor(np.stack([images[i] for i in ids]))[:, None].to(device), [boxes[i] for i in ids]


def to_input(points, box):
    return np.stack([points[:, 0] * box["scaleX"] + box["offsetX"], points[:, 1] * box["scaleY"] + box["offsetY"]], 1)


def to_original(points, box):
    return np.stack([(points[:, 0] - box["offsetX"]) / box["scaleX"], (points[:, 1] - box["offsetY"]) / box["scaleY"]], 1)


def integral(heat):
    """Eq. 2 in normalised [0, 1] coordinates (pixel centres at (i + 0.5) / size)."""
    _, _, h, w = heat.shape
    gamma = heat.sum(dim=(2, 3))
    xs = (torch.arange(w, dtype=heat.dtype, device=heat.device) + 0.5) / w
    ys = (torch.arange(h, dtype=heat.dtype, device=heat.device) + 0.5) / h
    return torch.stack([(heat.sum(dim=2) * xs).sum(dim=2) / gamma, (heat.sum(dim=3) * ys).sum(dim=2) / gamma], 2)


def augment(images, targets, rng):
    """Rotation about the centre and translation (bilinear, zero fill) applied to images and targets
    (normalised coordinates), then gain/offset jitter, Gaussian noise, clipping to [0, 1]."""
    b, _, h, w = images.shape
    a = AUGMENTATION
    angle = (2 * rng.random(b) - 1) * a["rotationDeg"] * math.pi / 180
    t = np.stack([(2 * rng.random(b) - 1) * a["translation"] * w, (2 * rng.random(b) - 1) * a["translation"] * h], 1)
    s = np.array([w / 2, h / 2])
    theta = np.zeros((b, 2, 3))
    moved = targets.clone().cpu()
    for k in range(b):
        c, si = math.cos(angle[k]), math.sin(angle[k])
        r = np.array([[c, -si], [si, c]])
        # output normalised u -> input normalised: S^-1 R^T (S u - t)
        theta[k, :, :2] = np.diag(1 / s) @ r.T @ np.diag(s)
        theta[k, :, 2] = -np.diag(1 / s) @ r.T @ t[k]
        p = targets[k].cpu().numpy() * np.array([w, h])  # input pixels, continuous
        q = (p - s) @ r.T + s + t[k]
        moved[k] = torch.from_numpy(q / np.array([w, h]))
    dev = images.device
    grid = nn.functional.affine_grid(torch.tensor(theta, dtype=torch.float32, device=dev), images.shape,
                                     align_corners=False)
    out = nn.functional.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    gain = torch.tensor(1 + (2 * rng.random(b) - 1) * a["intensityJitter"], dtype=torch.float32, device=dev)
    offset = torch.tensor((2 * rng.random(b) - 1) * a["intensityJitter"], dtype=torch.float32, device=dev)
    noise = torch.tensor(rng.random(b) * a["noiseSd"], dtype=torch.float32, device=dev)
    out = out * gain.view(b, 1, 1, 1) + offset.view(b, 1, 1, 1) + torch.randn_like(out) * noise.view(b, 1, 1, 1)
    return out.clamp(0, 1), moved.to(dev)


def match_tfjs_init(net, seed):
    """tfjs's initialisers (extension/src/core/models/layerFactory.ts): He normal (truncated, fan in) for
    the convolutions, Glorot uniform for the head, zero biases but the head's -4 (constants.ts)."""
    torch.manual_seed(seed)
    for m in net.modules():
        if isinstance(m, nn.Conv2d) and m is not net.head:
            fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
            sd = math.sqrt(2 / fan_in)  # tfjs truncates its normal at 2 sd without rescaling
            nn.init.trunc_normal_(m.weight, std=sd, a=-2 * sd, b=2 * sd)
            nn.init.zeros_(m.bias)
    nn.init.xavier_uniform_(net.head.weight)
    nn.init.constant_(net.head.bias, -4.0)


def spread(heat, mean):
    """RMS distance (input pixels) of each normalised map H/γ from its mean `mean` (integral(heat),
    normalised [B, n, 2]), [B, n]: the spread that heatmapConfidence.ts computes for the viewer and
    bench:isbi --map-stats prints."""
    _, _, h, w = heat.shape
    p = heat / heat.sum(dim=(2, 3), keepdim=True)
    xs = torch.arange(w, dtype=heat.dtype, device=heat.device) + 0.5
    ys = torch.arange(h, dtype=heat.dtype, device=heat.device) + 0.5
    mx, my = mean[..., 0] * w, mean[..., 1] * h
    d2 = (xs.view(1, 1, 1, w) - mx[..., None, None]) ** 2 + (ys.view(1, 1, h, 1) - my[..., None, None]) ** 2
    return (p * d2).sum(dim=(2, 3)).sqrt()


def evaluate(net, images, boxes, truth):
    net.eval()
    with torch.no_grad():
        means, spreads_px = [], []
        for i in range(0, len(images), 16):
            heat = net(images[i:i + 16])
            means.append(integral(heat))
            spreads_px.append(spread(heat, means[-1]))
        coords = torch.cat(means).cpu().numpy()
        spreads_px = torch.cat(spreads_px).cpu().numpy()
    net.train()
    h, w = images.shape[2:]
    # input pixels -> mm: the letterbox keeps the aspect, so one scale per image
    spreads = np.concatenate([spreads_px[k] * SPACING_MM / box["scaleX"] for k, box in enumerate(boxes)])
    errors = []
    for k, box in enumerate(boxes):
        predicted = to_original(coords[k] * np.array([w, h]), box)
        errors.append(np.linalg.norm(predicted - truth[k], axis=1) * SPACING_MM)
    e = np.concatenate(errors)
    return {"mreMm": float(e.mean()), "sdMm": float(e.std(ddof=1)),
            "sdr": [float((e <= r).mean()) for r in (2, 2.5, 3, 4)], "medianMm": float(np.median(e)),
            "medianSpreadMm": float(np.median(spreads))}


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg.get("threads", 1))
    torch.manual_seed(cfg.get("seed", 1))
    rng = np.random.default_rng(cfg.get("seed", 1))
    shape = cfg["inputShape"]
    table = load_table(os.path.join(cfg["data"], "landmarks_mean.csv"))
    train_ids = load_ids(os.path.join(cfg["data"], "train.txt"))[: cfg["labelled"]]
    test_ids = load_ids(os.path.join(cfg["data"], "test1.txt"))

    device = torch.device(cfg.get("device", "cpu"))

    def load(ids):
        if cfg.get("pack"):
            return load_packed(cfg["pack"], ids, shape, device)
        pairs = [load_sample(cfg["cache"], i, shape) for i in ids]
        return torch.tensor(np.stack([p[0] for p in pairs]))[:, None].to(device), [p[1] for p in pairs]

    train_images, train_boxes = load(train_ids)
    train_targets = torch.tensor(
        np.stack([to_input(table[i], b) / np.array([shape[1], shape[0]]) for i, b in zip(train_ids, train_boxes)]),
        dtype=torch.float32).to(device)
    test_images, test_boxes = load(test_ids)
    test_truth = [table[i] for i in test_ids]

    net = UNet(cfg["depth"], cfg["baseFilters"], 19)
    if cfg.get("tfjsInit", True):
        match_tfjs_init(net, cfg.get("seed", 1))
    net.to(device)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.get("lr", 1e-3))
    batch, every = cfg.get("batch", 4), cfg.get("curveEvery", 0)
    order, cursor, started = rng.permutation(len(train_ids)), 0, time.time()
    for step in range(1, cfg["steps"] + 1):
        if cursor + batch > len(order):
            order, cursor = rng.permutation(len(train_ids)), 0
        pick = order[cursor:cursor + batch]
        cursor += batch
        x, y = augment(train_images[pick], train_targets[pick], rng)
        opt.zero_grad()
        loss = (integral(net(x)) - y).abs().sum(dim=2).mean()
        loss.backward()
        if cfg.get("clipNorm", 1):  # the presets clip the global gradient norm at 1 (trainStep.ts)
            nn.utils.clip_grad_norm_(net.parameters(), cfg.get("clipNorm", 1))
        opt.step()
        if every and step % every == 0:
            point = evaluate(net, test_images, test_boxes, test_truth)
            print(json.dumps({"step": step, "loss": float(loss), "testMreMm": point["mreMm"],
                              "medianMm": point["medianMm"], "medianSpreadMm": point["medianSpreadMm"],
                              "minutes": (time.time() - started) / 60}), flush=True)
    final = evaluate(net, test_images, test_boxes, test_truth)
    seen = evaluate(net, train_images, train_boxes, [table[i] for i in train_ids])
    print(json.dumps({"final": final, "labelledMreMm": seen["mreMm"], "torch": torch.__version__,
                      "device": str(device), "steps": cfg["steps"],
                      "minutes": (time.time() - started) / 60}))


if __name__ == "__main__":
    main()
