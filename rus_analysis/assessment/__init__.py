"""Progress assessment (målbedömning): one class per series, with symbol, colour, words and
a Swedish sentence that explains it. Rules and thresholds: ``params/bedomning.yml``.

Typical use::

    from rus_analysis.assessment import assess, load_thresholds
    rules = load_thresholds(project.thresholds_file)  # params/bedomning.yml, always passed in
    result = assess(series, "ned", thresholds=rules, target=indicator.target)
    result.status.label, result.sentence
"""

from rus_analysis.assessment.classes import DIRECTION_CLASSES, TARGET_CLASSES, ProgressClass
from rus_analysis.assessment.comparisons import (
    PEER_MEAN,
    PeerComparison,
    assess_gap,
    compare_with_peers,
    gap_series,
    peer_kind,
    peer_mean,
)
from rus_analysis.assessment.series import (
    Assessment,
    Measure,
    assess,
    assess_horizons,
    limit_factor,
    to_series,
)
from rus_analysis.config.thresholds import Thresholds, load_thresholds

__all__ = [
    "DIRECTION_CLASSES",
    "PEER_MEAN",
    "TARGET_CLASSES",
    "Assessment",
    "Measure",
    "PeerComparison",
    "ProgressClass",
    "Thresholds",
    "assess",
    "assess_gap",
    "assess_horizons",
    "compare_with_peers",
    "gap_series",
    "limit_factor",
    "load_thresholds",
    "peer_kind",
    "peer_mean",
    "to_series",
]
