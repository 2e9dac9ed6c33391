"""Array type aliases shared by the modules of :mod:`fit_scores.simulate`."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]
DateArray = npt.NDArray[np.datetime64]
