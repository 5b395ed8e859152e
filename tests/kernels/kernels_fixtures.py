"""Kernels shared by the CPU tests and the CUDA-simulator checks (module-level, so they pickle by reference)."""

import math

import gpuscale

EARTH_RADIUS_KM = 6371.0


@gpuscale.vectorize(["float32(float32, float32, float32, float32)",
                     "float64(float64, float64, float64, float64)"])
def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def haversine_numpy(np, lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


@gpuscale.vectorize
def clipped_score(x, lo):
    if x < lo:
        return 0.0
    return (x - lo) * 1.5


@gpuscale.stencil
def laplacian(a):
    return a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1] - 4.0 * a[0, 0]


def laplacian_numpy(np, x):
    out = np.zeros(x.shape, dtype="float64")
    out[1:-1, 1:-1] = x[:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, :-2] + x[1:-1, 2:] - 4.0 * x[1:-1, 1:-1]
    return out


@gpuscale.stencil(cval=-1.0)
def forward_diff(a):
    return a[1] - a[0]


@gpuscale.stencil(neighborhood=((-2, 2),))
def moving_sum(a):
    acc = 0.0
    for k in range(-2, 3):
        acc += a[k]
    return acc


@gpuscale.guvectorize(["void(float32[:], float32[:], float32[:])",
                       "void(float64[:], float64[:], float64[:])"], "(n),(n)->()")
def weighted_score(x, w, out):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += x[i] * w[i]
    out[0] = acc


@gpuscale.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
def demean(x, out):
    mean = 0.0
    for i in range(x.shape[0]):
        mean += x[i]
    mean /= max(x.shape[0], 1)
    for i in range(x.shape[0]):
        out[i] = x[i] - mean
