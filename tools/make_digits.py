"""Write assets/digits.npz: the 1797 8x8 handwritten digits (UCI optdigits) used by the gated page.

Development-time tool only: it needs scikit-learn, which ships a copy of the UCI
"Optical Recognition of Handwritten Digits" test data (1797 images, 8x8 pixels,
intensities 0..16; CC BY 4.0). The app reads the .npz with NumPy alone, so
scikit-learn is never a runtime or CI dependency.

    pip install scikit-learn   # once, on a development machine
    python tools/make_digits.py

The output is deterministic (same bytes every run, no timestamps in the archive
metadata that matter to NumPy): ``images`` uint8 (1797, 8, 8) in 0..16, ``labels``
uint8 (1797,) in 0..9, in scikit-learn's order.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "assets" / "digits.npz"


def main() -> int:
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        print("scikit-learn is needed for this development tool: pip install scikit-learn", file=sys.stderr)
        return 1
    data = load_digits()
    images = np.asarray(data.images, dtype=np.uint8)  # (1797, 8, 8), values 0..16
    labels = np.asarray(data.target, dtype=np.uint8)  # (1797,)
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert int(images.max()) == 16 and set(labels.tolist()) == set(range(10))
    assert np.array_equal(images.astype(float), data.images)  # the uint8 cast loses nothing
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): images {images.shape}, labels {labels.shape}, "
          f"class counts {np.bincount(labels).tolist()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
