"""Mesin perencanaan tanpa Django / Django-free planning engines.

* :mod:`.priority` — kelurahan priority index (z-score or min-max, weights, polarity, ranks);
* :mod:`.aggregate` — kelurahan indicators from a person-level table (pyarrow);
* :mod:`.model`, :mod:`.optimise` — allocation MIP (HiGHS) over Musrenbang proposals and RAT activities;
* :mod:`.explain` — why each item was or was not funded;
* :mod:`.diagnose` — named conflicts when the rules cannot all hold;
* :mod:`.compare` — several scenarios side by side;
* :mod:`.synthetic` — deterministic synthetic planning data.

The method is documented in ``docs/planning.md``.
"""

from padu.planning.engine.aggregate import indicators_from_persons, join_indicators
from padu.planning.engine.compare import Comparison, compare_scenarios
from padu.planning.engine.diagnose import Conflict
from padu.planning.engine.explain import Explanation, explain, explain_forced
from padu.planning.engine.model import Item, Problem, Scenario, build_problem
from padu.planning.engine.optimise import Solution, optimise, solve
from padu.planning.engine.priority import INDICATORS, PriorityResult, priority_index
from padu.planning.engine.text import Text

__all__ = [
    "INDICATORS",
    "Comparison",
    "Conflict",
    "Explanation",
    "Item",
    "PriorityResult",
    "Problem",
    "Scenario",
    "Solution",
    "Text",
    "build_problem",
    "compare_scenarios",
    "explain",
    "explain_forced",
    "indicators_from_persons",
    "join_indicators",
    "optimise",
    "priority_index",
    "solve",
]
