#!/usr/bin/env python3
"""Reference metrics for the metrics tests: senior vs junior doctor on the ISBI 2015 images present in
../shared/data/isbi2015 (0.1 mm pixels), computed independently with NumPy. Writes the JSON beside it.
    /usr/bin/python3 test/unit/metrics/__fixtures__/isbiObserverAgreement.py
Only summary numbers are written, never the data.
"""
import csv, json, pathlib
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parents[3].parent / "shared" / "data" / "isbi2015"


def load(name):
    with open(DATA / name) as f:
        return {r["image"]: np.array([[float(r[f"x{i}"]), float(r[f"y{i}"])] for i in range(1, 20)])
                for r in csv.DictReader(f)}


senior, junior = load("landmarks_senior.csv"), load("landmarks_junior.csv")
ids = sorted(set(senior) & set(junior))
errors = np.array([np.linalg.norm((senior[i] - junior[i]) * 0.1, axis=1) for i in ids])  # mm
thresholds = [2, 2.5, 3, 4]
out = {
    "numpy": np.__version__,
    "cases": len(ids),
    "overall": {
        "mreMm": float(errors.mean()),
        "sdMm": float(errors.std(ddof=1)),
        "sdr": [float((errors <= t).mean()) for t in thresholds],
    },
    "perLandmarkMreMm": [float(v) for v in errors.mean(axis=0)],
    "perLandmarkSdMm": [float(v) for v in errors.std(axis=0, ddof=1)],
}
(HERE / "isbiObserverAgreement.json").write_text(json.dumps(out, indent=2) + "\n")
print(out["cases"], out["overall"])
