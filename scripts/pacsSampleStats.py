#!/usr/bin/env python3
"""Independent reference statistics of ../shared/data/dicom-samples for test/unit/dicom/samples.test.ts.

Decodes with DCMTK (dcmdjpeg for JPEG Lossless, dcmdump for the LUT) and NumPy, applies the Modality
LUT / rescale and the MONOCHROME1 inversion, and writes min, max and mean of the modality values.
Usage: /usr/bin/python3 scripts/pacsSampleStats.py > test/unit/dicom/__fixtures__/sampleStats.json
"""
import json, os, subprocess, sys, tempfile
import numpy as np

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'dicom-samples')


def tag(path, name):
    out = subprocess.run(['dcmdump', '+M', '+L', path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.rstrip().endswith(' ' + name):
            return line
    return None


def value(path, name):
    line = tag(path, name)
    return line.split('[')[1].split(']')[0] if line and '[' in line else line.split()[2]


def raw_pixels(path, rows, cols, dtype):
    data = open(path, 'rb').read()
    return np.frombuffer(data[-rows * cols * 2:], dtype=dtype).astype(np.float64)


def stats(v):
    return {'min': float(v.min()), 'max': float(v.max()), 'mean': round(float(v.mean()), 4)}


result = {'numpy': np.__version__, 'dcmtk': subprocess.run(['dcmdump', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}

# MONOCHROME1, 10 bits stored, no rescale: inverted over [0, 1023].
p = os.path.join(ROOT, 'CR-MONO1-10-chest.dcm')
a = raw_pixels(p, 440, 440, '<u2')
result['CR-MONO1-10-chest.dcm'] = stats(1023 - a)

# Signed 16-bit CT, rescale -1024.
p = os.path.join(ROOT, 'CT-MONO2-16-ankle.dcm')
a = raw_pixels(p, 512, 512, '<i2')
result['CT-MONO2-16-ankle.dcm'] = stats(a * float(value(p, 'RescaleSlope')) + float(value(p, 'RescaleIntercept')))

# JPEG Lossless + Modality LUT Sequence + MONOCHROME1 (inverted over the LUT's output range).
p = os.path.join(ROOT, 'CR-ModalitySequenceLUT.dcm')
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'raw.dcm')
    subprocess.run(['dcmdjpeg', p, out], check=True)
    # dcmdump +W writes the pixel data element alone (the file may hold elements after it).
    subprocess.run(['dcmdump', '+W', tmp, out], check=True, capture_output=True)
    raw = [f for f in os.listdir(tmp) if f.endswith('.raw')][0]
    a = np.fromfile(os.path.join(tmp, raw), dtype='<u2').astype(int)
    lut = np.array([int(x, 16) for x in tag(out, 'LUTData').split()[2].split('\\')])
    desc = [int(x) for x in tag(out, 'LUTDescriptor').split()[2].split('\\')]
    v = lut[np.clip(a - desc[1], 0, desc[0] - 1)]
    result['CR-ModalitySequenceLUT.dcm'] = stats(lut.min() + lut.max() - v)

json.dump(result, sys.stdout, indent=2)
print()
