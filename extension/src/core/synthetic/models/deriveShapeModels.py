#!/usr/bin/env python3
"""Derives the synthetic generator's statistical shape models ONCE and writes shapeModels.ts.

Run from the repository root (needs ../shared/data, NumPy):
    /usr/bin/python3 extension/src/core/synthetic/models/deriveShapeModels.py
    npx prettier --write extension/src/core/synthetic/models/shapeModels.ts

2D cephalogram model: the 150 ISBI 2015 training shapes (landmarks_mean.csv, images 001-150,
0.1 mm/pixel) aligned by Generalized Procrustes analysis (rotation, translation, scale; Cootes et al.
1995), the mean rescaled to the mean centroid size in mm, and the first 5 PCA modes (unit vectors)
with their standard deviations in mm. Only these parameters are committed, never the data.

Hand model: GPA + PCA of the 910 hand shapes (../shared/data/hand-xray-shapes), each first scaled
so that |L1 - L5| = 50 mm, 5 modes.

3D CBCT model: a documented construction, not measured data. Midline landmarks take their sagittal
position from the 2D model (ISBI x -> anterior, ISBI y -> inferior); bilateral landmarks (porion,
orbitale, gonion, condylion) take the sagittal position of their 2D counterpart and a half-width from typical adult
skull breadths (biporionic ~120 mm, biorbitale ~66 mm, bigonial ~96 mm, bicondylar ~100 mm). Its covariance is the 2D
modes lifted to 3D plus a breadth mode and a mandibular asymmetry mode; the 3D modes are the
eigenvectors of that covariance. Frame (DICOM patient axes, LPS): x patient right -> left,
y anterior -> posterior, z inferior -> superior, mm, centroid at the origin.
"""
import csv
import json
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[5]
DATA = ROOT.parent / "shared" / "data" / "isbi2015"
HAND = ROOT.parent / "shared" / "data" / "hand-xray-shapes"
OUT = pathlib.Path(__file__).resolve().parent / "shapeModels.ts"
SPACING_MM = 0.1
N_MODES_2D = 5


def load_train_shapes():
    ids = set((DATA / "train.txt").read_text().split())
    shapes = []
    with open(DATA / "landmarks_mean.csv") as f:
        for row in csv.DictReader(f):
            if row["image"] in ids:
                xy = [(float(row[f"x{i}"]), float(row[f"y{i}"])) for i in range(1, 20)]
                shapes.append(np.array(xy) * SPACING_MM)
    return np.array(shapes)


def align(shape, ref):
    """Similarity (orthogonal Procrustes) alignment of a centred shape onto a centred reference."""
    u, s, vt = np.linalg.svd(shape.T @ ref)
    r = u @ vt
    if np.linalg.det(r) < 0:  # no reflections
        u[:, -1] *= -1
        r = u @ vt
    scale = np.trace((shape @ r).T @ ref) / np.trace(shape.T @ shape)
    return scale * shape @ r


def gpa(shapes, iterations=100, tol=1e-10):
    centred = shapes - shapes.mean(axis=1, keepdims=True)
    ref = centred[0] / np.linalg.norm(centred[0])
    for _ in range(iterations):
        aligned = np.array([align(s, ref) for s in centred])
        new = aligned.mean(axis=0)
        new /= np.linalg.norm(new)
        new = align(new, ref)  # keep the reference's orientation
        new /= np.linalg.norm(new)
        if np.linalg.norm(new - ref) < tol:
            break
        ref = new
    sizes = np.linalg.norm(centred, axis=(1, 2))
    return aligned, ref, sizes.mean()


def pca(vectors, n_modes):
    mean = vectors.mean(axis=0)
    cov = np.cov((vectors - mean).T)  # sample covariance (N - 1)
    values, vecs = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    values, vecs = values[order], vecs[:, order]
    for k in range(vecs.shape[1]):  # deterministic sign: largest component positive
        if vecs[np.argmax(np.abs(vecs[:, k])), k] < 0:
            vecs[:, k] *= -1
    return values, vecs[:, :n_modes], values[:n_modes].sum() / values.sum()


def model_2d():
    shapes = load_train_shapes()
    aligned, ref, mean_size = gpa(shapes)
    # Express the aligned shapes at the mean centroid size, in mm.
    aligned_mm = aligned / np.linalg.norm(ref) * mean_size
    vecs = aligned_mm.reshape(len(shapes), -1)
    values, modes, explained = pca(vecs, N_MODES_2D)
    mean = vecs.mean(axis=0).reshape(-1, 2)
    return {
        "mean": mean,
        "modes": modes.T.reshape(N_MODES_2D, -1, 2),
        "sd": np.sqrt(values[:N_MODES_2D]),
        "explained": explained,
        "count": len(shapes),
        "centroid_size": mean_size,
        "centroid_size_sd": np.linalg.norm(
            shapes - shapes.mean(axis=1, keepdims=True), axis=(1, 2)
        ).std(ddof=1),
    }


def model_hand():
    """Hand model: all 910 shapes, each scaled so |L1 - L5| = 50 mm (the usual normalisation)."""
    shapes = []
    with open(HAND / "landmarks.csv") as f:
        for row in csv.DictReader(f):
            xy = np.array([(float(row[f"x{i}"]), float(row[f"y{i}"])) for i in range(1, 38)])
            shapes.append(xy * 50.0 / np.linalg.norm(xy[0] - xy[4]))
    shapes = np.array(shapes)
    aligned, ref, mean_size = gpa(shapes)
    vecs = (aligned / np.linalg.norm(ref) * mean_size).reshape(len(shapes), -1)
    values, modes, explained = pca(vecs, N_MODES_2D)
    return {
        "mean": vecs.mean(axis=0).reshape(-1, 2),
        "modes": modes.T.reshape(N_MODES_2D, -1, 2),
        "sd": np.sqrt(values[:N_MODES_2D]),
        "explained": explained,
        "count": len(shapes),
        "centroid_size": mean_size,
        "centroid_size_sd": np.linalg.norm(
            shapes - shapes.mean(axis=1, keepdims=True), axis=(1, 2)
        ).std(ddof=1),
    }


# 3D landmark: (name, ISBI landmark giving its sagittal position and variation, sagittal offset from it
# in mm (x anterior, y down), half-width mm, side). Names and order are the viewer's CBCT template
# (extension/src/ohif/templates.ts). Points absent from ISBI are placed from typical adult geometry:
# basion 45 mm from sella at 130 degrees to S-N (offset from sella), condylion ~8 mm above and in
# front of articulare.
CBCT = [
    ("Sella", 0, (0, 0), 0.0, 0),
    ("Nasion", 1, (0, 0), 0.0, 0),
    ("Basion", 0, (-28.9, 34.5), 0.0, 0),
    ("Anterior nasal spine", 17, (0, 0), 0.0, 0),
    ("Posterior nasal spine", 16, (0, 0), 0.0, 0),
    ("Subspinale (A point)", 4, (0, 0), 0.0, 0),
    ("Supramentale (B point)", 5, (0, 0), 0.0, 0),
    ("Pogonion", 6, (0, 0), 0.0, 0),
    ("Menton", 7, (0, 0), 0.0, 0),
    ("Orbitale R", 2, (0, 0), 33.0, -1),
    ("Orbitale L", 2, (0, 0), 33.0, 1),
    ("Porion R", 3, (0, 0), 60.0, -1),
    ("Porion L", 3, (0, 0), 60.0, 1),
    ("Gonion R", 9, (0, 0), 48.0, -1),
    ("Gonion L", 9, (0, 0), 48.0, 1),
    ("Condylion R", 18, (4, -7), 50.0, -1),
    ("Condylion L", 18, (4, -7), 50.0, 1),
    ("Upper incisal incision", 11, (0, 0), 0.0, 0),
]
BREADTH_SD_FRACTION = 0.05  # breadth varies ~5 % (1 SD) between adults
ASYMMETRY_SD_MM = 1.5  # lateral shift of the lower mandible, 1 SD
MANDIBLE = {"Supramentale (B point)", "Pogonion", "Menton", "Gonion R", "Gonion L"}


def lift(p2):
    """ISBI sagittal (x anterior, y inferior) -> 3D (x lateral, y posterior, z superior)."""
    return np.array([0.0, -p2[0], -p2[1]])


def model_3d(m2):
    n = len(CBCT)
    mean = np.array(
        [lift(m2["mean"][i] + off) + [side * hw, 0, 0] for _, i, off, hw, side in CBCT]
    )
    mean -= mean.mean(axis=0)
    cov = np.zeros((3 * n, 3 * n))

    def add(v, sd=1.0):
        # Shapes are defined up to translation: centre every variation vector (zero centroid shift).
        c = (v - v.mean(axis=0)).reshape(-1)
        cov[:] += sd**2 * np.outer(c, c)

    for k in range(N_MODES_2D):
        add(np.array([lift(m2["modes"][k][i]) for _, i, _, _, _ in CBCT]), m2["sd"][k])
    add(np.array([[side * hw * BREADTH_SD_FRACTION, 0, 0] for *_, hw, side in CBCT]))
    add(np.array([[ASYMMETRY_SD_MM if name in MANDIBLE else 0, 0, 0] for name, *_ in CBCT]))
    values, vecs = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1][: N_MODES_2D + 2]
    values, vecs = values[order], vecs[:, order]
    for k in range(vecs.shape[1]):
        if vecs[np.argmax(np.abs(vecs[:, k])), k] < 0:
            vecs[:, k] *= -1
    return {
        "names": [c[0] for c in CBCT],
        "mean": mean,
        "modes": vecs.T.reshape(len(order), n, 3),
        "sd": np.sqrt(np.maximum(values, 0)),
    }


def r(a, digits=4):
    return json.loads(json.dumps(np.round(np.asarray(a, dtype=float), digits).tolist()))


def main():
    if not DATA.exists():
        sys.exit(f"missing {DATA}")
    m2 = model_2d()
    m3 = model_3d(m2)
    mh = model_hand()
    text = f"""/**
 * Statistical shape models of the synthetic generator, written by deriveShapeModels.py (NumPy
 * {np.__version__}); do not edit by hand. Millimetres; every mode is a unit vector over all coordinates.
 *
 * Cephalogram: GPA + PCA of the {m2['count']} ISBI 2015 training shapes; the {N_MODES_2D} modes explain
 * {100 * m2['explained']:.1f} % of the aligned shape variance. Frame: x anterior (to the image's right),
 * y down. Mean centroid size {m2['centroid_size']:.1f} mm (SD {m2['centroid_size_sd']:.1f} mm).
 * CBCT: constructed from the 2D model plus skull breadths (see the script). Frame (LPS): x patient
 * right→left, y anterior→posterior, z inferior→superior.
 */
import type {{ ShapeModelParameters }} from '../types.ts';

/** 2D cephalogram shape model (19 ISBI landmarks, mm). */
export const CEPH_SHAPE_MODEL: ShapeModelParameters = {json.dumps({
        'dimension': 2,
        'mean': r(m2['mean']),
        'modes': r(m2['modes'], 6),
        'sdMm': r(m2['sd']),
        'centroidSizeMm': round(float(m2['centroid_size']), 3),
        'centroidSizeSdMm': round(float(m2['centroid_size_sd']), 3),
    })};

/** 3D CBCT shape model (18 skull landmarks, mm). */
export const CBCT_SHAPE_MODEL: ShapeModelParameters = {json.dumps({
        'dimension': 3,
        'mean': r(m3['mean']),
        'modes': r(m3['modes'], 6),
        'sdMm': r(m3['sd']),
        'centroidSizeMm': round(float(np.linalg.norm(m3['mean'])), 3),
        'centroidSizeSdMm': round(float(m2['centroid_size_sd']), 3),
    })};

/**
 * Hand radiograph shape model (37 landmarks, mm): GPA + PCA of the {mh['count']} hand shapes of
 * ../shared/data/hand-xray-shapes, each scaled to |L1 − L5| = 50 mm; the {N_MODES_2D} modes explain
 * {100 * mh['explained']:.1f} % of the aligned variance. Frame: x right, y down (fingers up).
 */
export const HAND_SHAPE_MODEL: ShapeModelParameters = {json.dumps({
        'dimension': 2,
        'mean': r(mh['mean']),
        'modes': r(mh['modes'], 6),
        'sdMm': r(mh['sd']),
        'centroidSizeMm': round(float(mh['centroid_size']), 3),
        'centroidSizeSdMm': round(float(mh['centroid_size_sd']), 3),
    })};

/** Names of the 3D model's landmarks, in model order. */
export const CBCT_MODEL_LANDMARKS: readonly string[] = {json.dumps(m3['names'])};
"""
    OUT.write_text(text)
    print(f"2D: {m2['count']} shapes, explained {m2['explained']:.4f}, sd {r(m2['sd'], 3)}")
    print(f"3D: sd {r(m3['sd'], 3)}")
    print(f"hand: {mh['count']} shapes, explained {mh['explained']:.4f}, sd {r(mh['sd'], 3)}")


if __name__ == "__main__":
    main()
