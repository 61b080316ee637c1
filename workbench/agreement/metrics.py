"""Agreement figures for two or more coders: percent agreement, Cohen's kappa, Krippendorff's alpha.

Pure functions, standard library only.

Data layout
    ``data`` is a list of coders' rows over the same units (the layout of Krippendorff's
    "reliability data"): ``data[i][u]`` is the value coder ``i`` gave to unit ``u``. All rows
    must have the same length (``ValueError`` otherwise). Values are any hashable category
    (``"thema-a"``, ``3``, ``True``); ``None`` (and a float NaN) means *missing*: the coder did
    not code that unit.

Pairable values
    A unit's *pairable* values are its non-missing values, provided there are at least two of
    them; a unit coded by fewer than two coders is ignored by every figure here.

Undefined figures
    A figure that cannot be computed is never silently 0 or 1. The three functions return a
    ``float`` or raise :class:`UndefinedFigure` (a ``ValueError``) whose ``reason`` says why,
    e.g. Cohen's kappa when both coders used one single category (expected agreement 1),
    Krippendorff's alpha when all pairable values are the same (no variation, D_e = 0), or any
    figure when no unit has two or more values. Malformed input (rows of different lengths, an
    unknown level, non-numbers at the interval level) raises a plain ``ValueError``/``TypeError``,
    which is *not* an ``UndefinedFigure``.

    Callers that want a value either way use :func:`safe`, which turns ``UndefinedFigure``
    into ``Figure(value=None, reason=...)``; ``str(figure)`` gives ``"0.743"`` or
    ``"undefined: <reason>"`` and ``dataclasses.asdict(figure)`` is ready for JSON::

        >>> safe(cohen_kappa, ["a", "a"], ["a", "a"]).defined
        False
        >>> str(safe(krippendorff_alpha, [[1, 2, 2], [1, 2, 1]]))
        '0.444'

Reference: K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
https://repository.upenn.edu/asc_papers/43 (coincidence-matrix method).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Literal

__all__ = [
    "LEVELS",
    "Figure",
    "Level",
    "UndefinedFigure",
    "cohen_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "safe",
]

Row = Sequence[Hashable | None]
Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")


class UndefinedFigure(ValueError):
    """The figure is undefined for this data; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Figure:
    """A figure that is either defined (``value``) or undefined (``reason``), never both."""

    value: float | None
    reason: str | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.reason is None):
            raise ValueError("a Figure has either a value or a reason why it is undefined")

    @property
    def defined(self) -> bool:
        return self.value is not None

    def __float__(self) -> float:
        if self.value is None:
            raise UndefinedFigure(self.reason or "undefined")
        return self.value

    def __str__(self) -> str:
        if self.value is None:
            return f"undefined: {self.reason}"
        return f"{self.value:.3f}"


def safe(fn: Callable[..., float], *args: object, **kwargs: object) -> Figure:
    """Call ``fn(*args, **kwargs)``; an ``UndefinedFigure`` becomes ``Figure(None, reason)``.

    Other errors (malformed input) propagate.
    """
    try:
        return Figure(float(fn(*args, **kwargs)))
    except UndefinedFigure as exc:
        return Figure(None, exc.reason)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _pairable_units(data: Sequence[Row]) -> list[list[Hashable]]:
    """The non-missing values of every unit that has at least two of them."""
    rows = list(data)
    for row in rows:
        if isinstance(row, str | bytes):
            raise TypeError("each coder's row must be a sequence of values, not a string")
    if not rows:
        raise UndefinedFigure("no data: there are no coders")
    n_units = len(rows[0])
    if any(len(row) != n_units for row in rows):
        raise ValueError("every coder's row must cover the same units (rows differ in length)")
    if n_units == 0:
        raise UndefinedFigure("no data: there are no units")
    if len(rows) < 2:
        raise UndefinedFigure("fewer than two coders")
    units = []
    for u in range(n_units):
        values = [row[u] for row in rows if not _is_missing(row[u])]
        if len(values) >= 2:
            units.append(values)
    if not units:
        raise UndefinedFigure("no unit was coded by two or more coders (no pairable values)")
    return units


def percent_agreement(data: Sequence[Row]) -> float:
    """Observed agreement as a proportion in [0, 1] (multiply by 100 for a percentage).

    Two coders: the units both coded with the same value, divided by the units both coded.

    More coders: the share of agreeing pairs among the pairable values, each value weighted
    equally. In a unit with ``m`` pairable values each value is paired with the ``m - 1``
    others; the unit contributes (agreeing ordered pairs) / (m - 1) agreements out of ``m``.
    The figure is the sum of those agreements over the sum of ``m``. This is Krippendorff's
    observed agreement ``sum_c o_cc / n`` (= 1 - D_o at the nominal level), so it is computed
    on exactly the values alpha uses. Example: a unit coded a, a, b counts as (2 agreeing
    ordered pairs) / 2 = 1 agreement out of 3 values.

    Raises ``UndefinedFigure`` if no unit has two or more values.
    """
    agreements = 0.0
    n = 0
    for values in _pairable_units(data):
        m = len(values)
        agreeing_pairs = sum(c * (c - 1) for c in Counter(values).values())
        agreements += agreeing_pairs / (m - 1)
        n += m
    return agreements / n


def cohen_kappa(a: Row, b: Row) -> float:
    """Cohen's kappa for two coders' rows over the same units.

    Units where either value is missing are dropped. With ``n`` remaining units,
    ``p_o`` = share of units with equal values and ``p_e = sum_k (a_k / n) * (b_k / n)``
    (``a_k``, ``b_k``: how often each coder used category ``k``),
    kappa = (p_o - p_e) / (1 - p_e), computed in exact integer arithmetic up to one division.

    Raises ``UndefinedFigure`` if no unit was coded by both, or if ``p_e`` = 1 (both coders
    used one and the same single category, so there is nothing beyond chance to measure).
    """
    if len(a) != len(b):
        raise ValueError("both coders' rows must cover the same units (rows differ in length)")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not (_is_missing(x) or _is_missing(y))]
    n = len(pairs)
    if n == 0:
        raise UndefinedFigure("no unit was coded by both coders")
    agree = sum(1 for x, y in pairs if x == y)
    count_a = Counter(x for x, _ in pairs)
    count_b = Counter(y for _, y in pairs)
    chance = sum(count * count_b[k] for k, count in count_a.items())  # = n^2 * p_e
    if chance == n * n:
        (category,) = count_a
        raise UndefinedFigure(
            f"both coders used only the category {category!r}: expected agreement is 1"
        )
    return (n * agree - chance) / (n * n - chance)


def krippendorff_alpha(
    data: Sequence[Row],
    level: Level = "nominal",
    *,
    order: Sequence[Hashable] | None = None,
) -> float:
    """Krippendorff's alpha = 1 - D_o / D_e by the coincidence-matrix method (Krippendorff 2011).

    Units with fewer than two pairable values are ignored. From the pairable values the
    coincidences ``o_ck = sum_u n_uc * (n_uk - [c == k]) / (m_u - 1)`` and the marginals
    ``n_c`` (with ``n = sum_c n_c``) give
    ``alpha = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck``
    with the squared difference ``d_ck`` of the level:

    * ``"nominal"``: 0 if c == k else 1 (any hashable values).
    * ``"ordinal"``: ``(sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2``, ranks from the marginal
      frequencies. Values are ordered by ``sorted()``, or by ``order`` (e.g.
      ``["laag", "midden", "hoog"]``); every value must then appear in ``order``.
    * ``"interval"``: ``(c - k) ** 2`` (finite real numbers).
    * ``"ratio"``: ``((c - k) / (c + k)) ** 2`` (finite non-negative real numbers).

    Raises ``UndefinedFigure`` when no unit has two or more values, or when all pairable
    values are equal (no variation: D_e = 0, so alpha is 0 / 0).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    if order is not None and level != "ordinal":
        raise ValueError("order is only used at the ordinal level")
    units = [Counter(values) for values in _pairable_units(data)]
    n_c: Counter[Hashable] = Counter()
    for unit in units:
        n_c.update(unit)
    if len(n_c) < 2:
        (only,) = n_c
        raise UndefinedFigure(
            f"no variation: every pairable value is {only!r}, so expected disagreement is 0"
        )
    delta = _difference_function(level, n_c, order)
    observed = math.fsum(
        math.fsum(
            n_uc * n_uk * delta(c, k)
            for c, n_uc in unit.items()
            for k, n_uk in unit.items()
            if c != k
        )
        / (unit.total() - 1)
        for unit in units
    )
    expected = math.fsum(n_c[c] * n_c[k] * delta(c, k) for c in n_c for k in n_c if c != k)
    n = n_c.total()
    return 1.0 - (n - 1) * observed / expected


def _difference_function(
    level: str, n_c: Counter[Hashable], order: Sequence[Hashable] | None
) -> Callable[[Hashable, Hashable], float]:
    """The squared difference d(c, k) of the level, for the values in ``n_c``."""
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "ordinal":
        return _ordinal_difference(n_c, order)
    for value in n_c:
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"{level} level needs finite numbers, got {value!r}")
        if level == "ratio" and value < 0:
            raise ValueError(f"ratio level needs non-negative numbers, got {value!r}")
    # The values were checked above to be finite real numbers; Hashable does not say so.
    if level == "interval":
        return lambda c, k: float((c - k) ** 2)  # type: ignore[operator]
    return lambda c, k: float(((c - k) / (c + k)) ** 2) if c != k else 0.0  # type: ignore[operator]


def _ordinal_difference(
    n_c: Counter[Hashable], order: Sequence[Hashable] | None
) -> Callable[[Hashable, Hashable], float]:
    if order is None:
        try:
            ranked = sorted(n_c)  # type: ignore[type-var]  # sortable or not: TypeError below
        except TypeError:
            raise ValueError(
                "ordinal level needs values that can be sorted; pass order=[...]"
            ) from None
    else:
        position = {value: i for i, value in enumerate(order)}
        unknown = [value for value in n_c if value not in position]
        if unknown:
            raise ValueError(f"values not in order: {', '.join(map(repr, unknown))}")
        ranked = sorted(n_c, key=position.__getitem__)
    rank = {value: i for i, value in enumerate(ranked)}
    cumulative = [0]  # cumulative[i] = sum of n_g over the i lowest values
    for value in ranked:
        cumulative.append(cumulative[-1] + n_c[value])

    def delta(c: Hashable, k: Hashable) -> float:
        lo, hi = sorted((rank[c], rank[k]))
        between = cumulative[hi + 1] - cumulative[lo]  # n_g for g from c to k, inclusive
        return (between - (n_c[ranked[lo]] + n_c[ranked[hi]]) / 2) ** 2

    return delta
