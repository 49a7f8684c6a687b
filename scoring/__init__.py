"""Factorcard's scoring engine: score a checked-out repository against the Twelve-Factor App.

Pure Python; imports nothing of the web app (nor Django). Public API::

    from scoring import score_path
    report = score_path("/path/to/checkout")
    report.score, report.factor("config").status, report.to_dict()
"""

ENGINE_NAME = "factorcard-scoring"
__version__ = "0.1.0"

from .model import Finding, Kind, Report, Severity, Status, Waiver  # noqa: E402
from .runner import UnreadablePath, score_path  # noqa: E402
from .tree import Limits  # noqa: E402

__all__ = [
    "ENGINE_NAME",
    "Finding",
    "Kind",
    "Limits",
    "Report",
    "Severity",
    "Status",
    "UnreadablePath",
    "Waiver",
    "__version__",
    "score_path",
]
