#!/usr/bin/python3
"""Golden fixtures for the Java Mono-InternVL image preprocessor.

Run with the Debian interpreter, which has Pillow and numpy from apt:
    /usr/bin/python3 services/mono-internvl/src/test/python/make_image_fixtures.py

Inputs are not stored: they come from a deterministic integer formula (synthetic_image) that
SyntheticImage.java reproduces exactly. Outputs go to src/test/resources/image-fixtures/:
fixtures.json (tiling candidate orders, a broad grid-choice sweep, per-case metadata) and lossless
PNGs of Pillow's resize results (whole images when small, corner crops when large, plus the thumbnail).
"""
import json
import math
import os
import random
import sys

import numpy as np
import PIL
from PIL import Image

IMAGE_SIZE = 448
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "image-fixtures")
FULL_LIMIT = 896 * 896  # resized images up to this many pixels are stored whole
CROP = 320  # edge length of the corner crops stored for larger resized images


def candidate_grids(min_num, max_num):
    """The candidate (columns, rows) list exactly as InternVL's dynamic_preprocess builds it."""
    ratios = set(
        (i, j) for n in range(min_num, max_num + 1) for i in range(1, n + 1) for j in range(1, n + 1)
        if min_num <= i * j <= max_num)
    return sorted(ratios, key=lambda x: x[0] * x[1])


def choose_grid(width, height, candidates):
    """InternVL's find_closest_aspect_ratio, restated from the spec (section 3.1, steps 2-3)."""
    aspect = width / height
    best_diff = float("inf")
    best = (1, 1)
    area = width * height
    for cols, rows in candidates:
        diff = abs(aspect - cols / rows)
        if diff < best_diff:
            best_diff = diff
            best = (cols, rows)
        elif diff == best_diff and area > 0.5 * IMAGE_SIZE * IMAGE_SIZE * cols * rows:
            best = (cols, rows)
    return best


def synthetic_image(width, height):
    """Zone plate (red), banded gradients with sharp band edges (green), checker with 1-px dither (blue)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    red = ((x * x + 3 * y * y + x * y) >> 5) & 255
    horizontal = (x * 255) // max(width - 1, 1)
    vertical = (y * 255) // max(height - 1, 1)
    green = np.where(((y >> 4) & 1) == 0, horizontal, vertical)
    blue = np.where((((x >> 3) ^ (y >> 3)) & 1) == 0, 255, ((x + y) & 1) * 96)
    return Image.fromarray(np.stack([red, green, blue], axis=-1).astype(np.uint8), "RGB")


def tie_sizes(candidates):
    """Sizes whose aspect sits exactly on a tie: midpoints of two aspects, and exact multiples of one aspect."""
    sizes = set()
    aspects = sorted({(c, r) for c, r in candidates}, key=lambda g: g[0] / g[1])
    for a in range(len(aspects)):
        for b in range(a + 1, len(aspects)):
            (c1, r1), (c2, r2) = aspects[a], aspects[b]
            w, h = c1 * r2 + c2 * r1, 2 * r1 * r2
            g = math.gcd(w, h)
            w, h = w // g, h // g
            for k in (1, 3, 64, 200, 420, 900):
                if w * k <= 20000 and h * k <= 20000:
                    sizes.add((w * k, h * k))
    for cols, rows in candidates:
        g = math.gcd(cols, rows)
        c, r = cols // g, rows // g
        for other_cols, other_rows in candidates:
            if other_cols * r != other_rows * c:
                continue
            # Straddle the area threshold at which a same-aspect tie switches to the larger grid.
            k0 = int(math.sqrt(0.5 * IMAGE_SIZE * IMAGE_SIZE * other_cols * other_rows / (c * r)))
            for k in (k0 - 1, k0, k0 + 1, k0 + 2):
                if k > 0:
                    sizes.add((c * k, r * k))
    return sizes


def sweep(min_num, max_num, random_count, rng):
    candidates = candidate_grids(min_num, max_num)
    sizes = tie_sizes(candidates)
    sizes.update([(896, 448), (448, 896), (1344, 448), (448, 1344), (448, 448), (1, 1), (1, 2), (2, 1)])
    while len(sizes) < random_count + 8:
        w = int(math.exp(rng.uniform(0, math.log(6000))))
        h = int(math.exp(rng.uniform(0, math.log(6000))))
        sizes.add((max(w, 1), max(h, 1)))
    rows = []
    for w, h in sorted(sizes):
        cols, rws = choose_grid(w, h, candidates)
        rows.append([w, h, cols, rws])
    return {"min": min_num, "max": max_num, "sizes": rows}


CASES = [
    (1, 2000), (2000, 1), (5000, 5000), (37, 1000), (1000, 37), (448, 448), (449, 448), (800, 600),
    (1654, 2339), (3000, 500), (896, 448), (300, 200), (13, 7), (1, 1),
]


def save_png(image, name):
    image.save(os.path.join(OUT_DIR, name), optimize=True)
    return name


def crop_entry(resized, prefix, x, y, w, h):
    name = save_png(resized.crop((x, y, x + w, y + h)), f"{prefix}-crop-{x}-{y}.png")
    return {"file": name, "x": x, "y": y, "width": w, "height": h}


def image_case(width, height, candidates):
    prefix = f"{width}x{height}"
    cols, rows = choose_grid(width, height, candidates)
    image = synthetic_image(width, height)
    resized = image.resize((IMAGE_SIZE * cols, IMAGE_SIZE * rows))
    rw, rh = resized.size
    if rw * rh <= FULL_LIMIT:
        crops = [crop_entry(resized, prefix, 0, 0, rw, rh)]
    else:
        cw, ch = min(CROP, rw), min(CROP, rh)
        crops = [crop_entry(resized, prefix, 0, 0, cw, ch), crop_entry(resized, prefix, rw - cw, rh - ch, cw, ch)]
    thumbnail = None
    if cols * rows > 1:
        thumbnail = save_png(image.resize((IMAGE_SIZE, IMAGE_SIZE)), f"{prefix}-thumbnail.png")
    return {"width": width, "height": height, "grid": [cols, rows], "crops": crops, "thumbnail": thumbnail}


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for old in os.listdir(OUT_DIR):
        os.remove(os.path.join(OUT_DIR, old))
    rng = random.Random(20240917)
    pairs = [(lo, hi) for hi in range(1, 13) for lo in range(1, hi + 1)]
    fixtures = {
        "generator": f"python {sys.version.split()[0]}, Pillow {PIL.__version__}, numpy {np.__version__}",
        "imageSize": IMAGE_SIZE,
        "candidateOrders": [{"min": lo, "max": hi, "order": [list(g) for g in candidate_grids(lo, hi)]}
                            for lo, hi in pairs],
        "sweeps": [sweep(lo, hi, 3000 if (lo, hi) == (1, 12) else 60, rng) for lo, hi in pairs],
        "cases": [image_case(w, h, candidate_grids(1, 12)) for w, h in CASES],
    }
    with open(os.path.join(OUT_DIR, "fixtures.json"), "w") as out:
        json.dump(fixtures, out, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    main()
