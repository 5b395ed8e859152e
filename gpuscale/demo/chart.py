"""The demo's picture: mean tip and number of trips by hour of pick-up."""

from __future__ import annotations

from pathlib import Path


def plot_tips_by_hour(by_hour, path: Path, title: str) -> Path:
    """Write a PNG bar chart of ``mean_tip`` by ``pickup_hour`` (pandas frame), trips as a line."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed; works in containers and CI
    import matplotlib.pyplot as plt
    from matplotlib.ticker import StrMethodFormatter

    fig, tips_axis = plt.subplots(figsize=(9, 4.5), dpi=110)
    try:
        tips_axis.bar(by_hour["pickup_hour"], by_hour["mean_tip"], color="#4C72B0", label="mean tip ($)")
        tips_axis.set_xlabel("hour of pick-up")
        tips_axis.set_ylabel("mean tip per trip ($)")
        tips_axis.set_xticks(range(0, 24, 2))
        trips_axis = tips_axis.twinx()
        trips_axis.plot(by_hour["pickup_hour"], by_hour["trips"], color="#DD8452", marker="o", label="trips")
        trips_axis.set_ylabel("trips")
        trips_axis.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        tips_axis.set_ylim(0, 1.25 * by_hour["mean_tip"].max())  # leave room for the legend
        trips_axis.set_ylim(0, 1.25 * by_hour["trips"].max())
        tips_axis.set_title(title)
        fig.legend(loc="upper center", ncols=2, bbox_to_anchor=(0.5, 0.9))
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
    return path
