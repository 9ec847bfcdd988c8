"""Trust: seller levels recomputed nightly from what sellers did, and the signals buyers read.

``policy`` holds the thresholds (``MIHAN_LEVELS_FILE`` overrides them), ``metrics`` measures a
seller in SQL, ``levels`` decides the level and what the next one needs (pure), ``jobs`` is the
nightly recomputation the order jobs run.
"""

from app.trust.levels import LEVELS, Gap, Progress, evaluate, progress
from app.trust.metrics import SellerMetrics, seller_metrics
from app.trust.policy import LevelPolicy, Threshold, get_level_policy
from app.trust.standing import Standing, seller_standing

__all__ = [
    "LEVELS",
    "Gap",
    "LevelPolicy",
    "Progress",
    "SellerMetrics",
    "Standing",
    "Threshold",
    "evaluate",
    "get_level_policy",
    "progress",
    "seller_metrics",
    "seller_standing",
]
