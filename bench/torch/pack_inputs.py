"""Packs the letterboxed ISBI inputs that bench:isbi caches (<cache>/<id>-<H>x<W>-0.1_0.1.f32/.json) into
one float16 array per id list, with the letterboxes and the landmark table beside them, so that
unet_accuracy.py can run on another machine (a GPU machine that has no ../shared and no cache):
float16 keeps 3 decimal digits of the [0, 1] inputs (the largest change is printed), and halves the size.

Usage: /usr/bin/python3 bench/torch/pack_inputs.py <cache> <isbi dir> <H>x<W> <out dir>
"""
import json
import os
import shutil
import sys

import numpy as np


def main():
    cache, data, size, out = sys.argv[1:5]
    h, w = (int(v) for v in size.split("x"))
    os.makedirs(out, exist_ok=True)
    for name in ("train", "test1"):
        with open(os.path.join(data, f"{name}.txt")) as f:
            ids = [line.strip() for line in f if line.strip()]
        images, boxes = [], []
        for i in ids:
            base = os.path.join(cache, f"{i}-{h}x{w}-0.1_0.1")
            if not os.path.exists(base + ".f32"):
                raise SystemExit(f"{base}.f32 is missing: run bench:isbi --input {h}x{w} first to cache it")
            images.append(np.fromfile(base + ".f32", dtype=np.float32).reshape(h, w))
            with open(base + ".json") as f:
                boxes.append(json.load(f)["letterbox"])
        array = np.stack(images)
        half = array.astype(np.float16)
        print(f"{name}: {array.shape}, largest float16 change {np.abs(half.astype(np.float32) - array).max():.2e}")
        np.save(os.path.join(out, f"{name}-{h}x{w}.f16.npy"), half)
        with open(os.path.join(out, f"{name}-{h}x{w}.json"), "w") as f:
            json.dump({"ids": ids, "boxes": boxes}, f)
        shutil.copy(os.path.join(data, f"{name}.txt"), out)
    shutil.copy(os.path.join(data, "landmarks_mean.csv"), out)


if __name__ == "__main__":
    main()
