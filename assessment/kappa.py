"""Agreement statistics: Cohen's and Fleiss' kappa, the one definition for training feedback and the
evaluators' figures. The numbers come from statsmodels, not our own formulas.

The undefined case, one answer everywhere: kappa compares the agreement seen with the agreement chance
would give. When every rating falls in one and the same category, chance already agrees completely and
kappa is 0/0. We then report **None** ("not defined"), never 1.0 or 0.0: the raters do agree on every
item, but there is no evidence of agreement beyond chance, and a 1.0 would read as skill. Screens and
reports show the no-value mark (i18n.NO_VALUE, "—") with that explanation; averages leave such values out.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy.typing as npt


def _defined(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def cohen(table: npt.ArrayLike) -> float | None:
    """Cohen's kappa of a square contingency table (rater A's category x rater B's), None when undefined."""
    # statsmodels (with scipy) takes most of a second to import: only when a kappa is computed.
    from statsmodels.stats.inter_rater import cohens_kappa

    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _defined(cohens_kappa(np.asarray(table, dtype=float), return_results=False))


def fleiss(counts: npt.ArrayLike) -> float | None:
    """Fleiss' kappa of a subjects x categories table of counts, every subject rated by the same number of
    raters; None when undefined (or no subjects)."""
    from statsmodels.stats.inter_rater import fleiss_kappa

    table = np.asarray(counts, dtype=float)
    if table.shape[0] == 0:
        return None
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _defined(fleiss_kappa(table, method="fleiss"))
