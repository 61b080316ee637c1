"""Tests for workbench.agreement.metrics.

Published worked examples (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"),
hand-computed cases, and comparisons with independent implementations (the ``krippendorff``
package and scikit-learn) on many random cases, to 1e-9.
"""

from __future__ import annotations

import dataclasses
import doctest
import random
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, cohen_kappa_score

from workbench.agreement import metrics
from workbench.agreement.metrics import (
    LEVELS,
    Figure,
    UndefinedFigure,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    safe,
)

TOL = 1e-9
N = None
RANDOM = settings(max_examples=400, deadline=None, derandomize=True)
CODES = st.integers(1, 5)

# Krippendorff (2011), example A: binary data, two observers, no missing data.
BINARY = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]
# Example B: nominal data, two observers, no missing data.
NOMINAL_TWO = [
    list("aabbdcccedda"),
    list("babbbccceddd"),
]
# Examples C and D: four observers, 12 units, missing data (nominal, then interval).
FOUR_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def reference_alpha(data: list[list], level: str) -> float | None:
    """The krippendorff package's alpha, or None where it is undefined (error or nan)."""
    array = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    with np.errstate(all="ignore"):
        try:
            value = krippendorff.alpha(reliability_data=array, level_of_measurement=level)
        except ValueError:
            return None
    return None if np.isnan(value) else float(value)


def reference_kappa(a: list, b: list) -> float | None:
    """scikit-learn's kappa on the units both coded, or None where it is undefined."""
    kept = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not kept:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score([x for x, _ in kept], [y for _, y in kept])
    return None if np.isnan(value) else float(value)


# --- published worked examples ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "level", "published"),
    [
        (BINARY, "nominal", 0.095),
        (NOMINAL_TWO, "nominal", 0.692),
        (FOUR_OBSERVERS, "nominal", 0.743),
        (FOUR_OBSERVERS, "interval", 0.849),
        # Not in the 2011 paper; the values the krippendorff package documents for this data.
        (FOUR_OBSERVERS, "ordinal", 0.815),
        (FOUR_OBSERVERS, "ratio", 0.797),
    ],
)
def test_published_examples(data: list[list], level: str, published: float) -> None:
    value = krippendorff_alpha(data, level)
    assert round(value, 3) == published
    numeric = [
        [N if v is None else "abcde".find(v) if isinstance(v, str) else v for v in row]
        for row in data
    ]
    assert value == pytest.approx(reference_alpha(numeric, level), abs=TOL)


def test_binary_example_exact() -> None:
    # o_00 = 10, o_01 = o_10 = 4, o_11 = 2; n_0 = 14, n_1 = 6, n = 20:
    # alpha = 1 - (n - 1) * o_01 / (n_0 * n_1) = 1 - 19 * 4 / 84
    assert krippendorff_alpha(BINARY) == pytest.approx(1 - 19 * 4 / 84, abs=TOL)


def test_four_observers_nominal_exact() -> None:
    # Pairable values (unit 12 has only one): n = 40, n_c = 9, 13, 10, 5, 3 for values 1..5;
    # 8 of the 40 coincidences lie off the diagonal (see the percent agreement test), so
    # alpha = 1 - (n - 1) * 8 / (n^2 - sum_c n_c^2) = 1 - 39 * 8 / 1216.
    n_c = [9, 13, 10, 5, 3]
    assert 40**2 - sum(c * c for c in n_c) == 1216
    assert krippendorff_alpha(FOUR_OBSERVERS) == pytest.approx(1 - 39 * 8 / 1216, abs=TOL)


def test_ordinal_labels_with_order() -> None:
    labels = ["zeer laag", "laag", "midden", "hoog", "zeer hoog"]
    as_labels = [[N if v is None else labels[v - 1] for v in row] for row in FOUR_OBSERVERS]
    # Alphabetical order would be wrong, so order= is what makes this equal to the numbers.
    value = krippendorff_alpha(as_labels, "ordinal", order=labels)
    assert value == pytest.approx(krippendorff_alpha(FOUR_OBSERVERS, "ordinal"), abs=TOL)
    assert krippendorff_alpha(as_labels, "ordinal") != pytest.approx(value, abs=1e-3)
    with pytest.raises(ValueError, match="not in order"):
        krippendorff_alpha(as_labels, "ordinal", order=labels[:-1])


# --- against independent implementations --------------------------------------------------


@st.composite
def reliability_data(draw: st.DrawFn, values: st.SearchStrategy = CODES) -> list[list]:
    n_coders = draw(st.integers(1, 5))
    n_units = draw(st.integers(1, 12))
    cell = st.one_of(values, values, st.none())
    row = st.lists(cell, min_size=n_units, max_size=n_units)
    return draw(st.lists(row, min_size=n_coders, max_size=n_coders))


def assert_alpha_matches(data: list[list], level: str) -> bool:
    reference = reference_alpha(data, level)
    if reference is None:
        with pytest.raises(UndefinedFigure):
            krippendorff_alpha(data, level)
        return False
    assert krippendorff_alpha(data, level) == pytest.approx(reference, abs=TOL)
    return True


@pytest.mark.parametrize("level", LEVELS)
@RANDOM
@given(data=reliability_data())
def test_alpha_matches_krippendorff_package(level: str, data: list[list]) -> None:
    event("defined" if assert_alpha_matches(data, level) else "undefined")


@pytest.mark.parametrize("level", ["interval", "ratio"])
@RANDOM
@given(data=reliability_data(st.integers(0, 40).map(lambda q: q / 4)))
def test_alpha_matches_krippendorff_package_fractional(level: str, data: list[list]) -> None:
    event("defined" if assert_alpha_matches(data, level) else "undefined")


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_on_realistic_sizes(level: str) -> None:
    # Seeded: 3 coders, 60 segments, 6 codes, ~15% missing; all defined.
    rng = random.Random(20240611)
    for _ in range(50):
        truth = [rng.randint(1, 6) for _ in range(60)]
        data = [
            [
                N if rng.random() < 0.15 else (t if rng.random() < 0.7 else rng.randint(1, 6))
                for t in truth
            ]
            for _ in range(3)
        ]
        assert assert_alpha_matches(data, level)


pairs = st.integers(1, 15).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.one_of(st.integers(0, 3), st.integers(0, 3), st.none()), min_size=n, max_size=n
        ),
        st.lists(
            st.one_of(st.integers(0, 3), st.integers(0, 3), st.none()), min_size=n, max_size=n
        ),
    )
)


@RANDOM
@given(pair=pairs)
def test_kappa_matches_sklearn(pair: tuple[list, list]) -> None:
    a, b = pair
    reference = reference_kappa(a, b)
    event("undefined" if reference is None else "defined")
    if reference is None:
        with pytest.raises(UndefinedFigure):
            cohen_kappa(a, b)
    else:
        assert cohen_kappa(a, b) == pytest.approx(reference, abs=TOL)


@RANDOM
@given(pair=pairs)
def test_two_coder_percent_agreement_is_accuracy(pair: tuple[list, list]) -> None:
    a, b = pair
    kept = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not kept:
        with pytest.raises(UndefinedFigure):
            percent_agreement([a, b])
    else:
        reference = accuracy_score([x for x, _ in kept], [y for _, y in kept])
        assert percent_agreement([a, b]) == pytest.approx(reference, abs=TOL)


@RANDOM
@given(data=reliability_data())
def test_nominal_figures_ignore_labels(data: list[list]) -> None:
    relabelled = [[N if v is None else f"code-{v}" for v in row] for row in data]
    for fn in (krippendorff_alpha, percent_agreement):
        assert safe(fn, relabelled).value == safe(fn, data).value


@RANDOM
@given(data=reliability_data())
def test_percent_agreement_is_one_minus_observed_disagreement(data: list[list]) -> None:
    # With the package's alpha and D_e = 1 - sum_c n_c (n_c - 1) / (n (n - 1)) over the
    # pairable values, 1 - D_o = 1 - (1 - alpha) * D_e.
    reference = reference_alpha(data, "nominal")
    if reference is None:
        return
    pairable: list = []
    for u in range(len(data[0])):
        values = [row[u] for row in data if row[u] is not None]
        if len(values) >= 2:
            pairable += values
    n = len(pairable)
    d_e = 1 - sum(pairable.count(c) * (pairable.count(c) - 1) for c in set(pairable)) / (
        n * (n - 1)
    )
    assert percent_agreement(data) == pytest.approx(1 - (1 - reference) * d_e, abs=TOL)


# --- percent agreement by hand ------------------------------------------------------------


def test_percent_agreement_two_coders() -> None:
    # Both coded units 1-3; they agree on units 1 and 3. Units 4 and 5 are not pairable.
    assert percent_agreement([[1, 2, 3, N, 2], [1, 3, 3, 2, N]]) == pytest.approx(2 / 3, abs=TOL)
    assert percent_agreement([["a", "b"], ["a", "b"]]) == 1.0
    assert percent_agreement([["a", "b"], ["b", "a"]]) == 0.0


def test_percent_agreement_weights_pairable_values() -> None:
    # unit 1: a, a, b -> 2 agreeing ordered pairs / (3 - 1) = 1 agreement of 3 values
    # unit 2: a, b    -> 0 of 2;  unit 3: c, c, c -> 6 / 2 = 3 of 3;  unit 4: one value, ignored
    data = [["a", "a", "c", "d"], ["a", "b", "c", N], ["b", N, "c", N]]
    assert percent_agreement(data) == pytest.approx(4 / 8, abs=TOL)  # not the unit mean 4/9


def test_percent_agreement_four_observers() -> None:
    # Agreements per unit (of m values): 3/3, 2/4, 4/4, 4/4, 4/4, 0/4, 4/4, 2/4, 4/4, 3/3, 2/2
    assert percent_agreement(FOUR_OBSERVERS) == pytest.approx(32 / 40, abs=TOL)


# --- undefined figures and bad input ------------------------------------------------------


def test_kappa_one_category_is_undefined() -> None:
    with pytest.raises(UndefinedFigure, match="'relevant'") as info:
        cohen_kappa(["relevant"] * 5, ["relevant"] * 4 + [N])
    assert "expected agreement is 1" in info.value.reason
    assert isinstance(info.value, ValueError)


def test_kappa_two_different_single_categories_is_zero() -> None:
    # p_e = 0 here, so kappa is defined (and sklearn agrees).
    assert cohen_kappa(["x"] * 3, ["y"] * 3) == 0.0 == reference_kappa(["x"] * 3, ["y"] * 3)


def test_kappa_perfect_and_worked_value() -> None:
    assert cohen_kappa([1, 2, 1, 2], [1, 2, 1, 2]) == 1.0
    # p_o = 3/5, p_e = (3/5)^2 + (2/5)^2 = 13/25 -> kappa = (15/25 - 13/25) / (12/25) = 1/6
    a = ["j", "j", "j", "n", "n"]
    b = ["j", "j", "n", "j", "n"]
    assert cohen_kappa(a, b) == pytest.approx(1 / 6, abs=TOL)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_no_variation_is_undefined(level: str) -> None:
    with pytest.raises(UndefinedFigure, match="no variation"):
        krippendorff_alpha([[2, 2, 2], [2, 2, N]], level)
    # The lone 3 is not pairable, so there is still no variation among pairable values.
    with pytest.raises(UndefinedFigure, match="no variation"):
        krippendorff_alpha([[2, 2, N], [2, 2, 3]], level)


@pytest.mark.parametrize("data", [[], [[], []], [[1, 2, 3]], [[1, N], [N, 2]], [[N], [N]]])
def test_no_pairable_values_is_undefined(data: list[list]) -> None:
    for fn in (percent_agreement, krippendorff_alpha):
        figure = safe(fn, data)
        assert not figure.defined
        assert figure.reason


def test_kappa_without_shared_units_is_undefined() -> None:
    with pytest.raises(UndefinedFigure, match="both coders"):
        cohen_kappa([], [])
    with pytest.raises(UndefinedFigure, match="both coders"):
        cohen_kappa([1, N], [N, 2])


def test_single_unit() -> None:
    with pytest.raises(UndefinedFigure):
        krippendorff_alpha([[1], [1]])
    with pytest.raises(UndefinedFigure):
        cohen_kappa([1], [1])
    assert percent_agreement([[1], [1]]) == 1.0
    # Two different values on one unit: D_o = D_e, alpha = 0, as the reference says.
    assert krippendorff_alpha([[1], [2]]) == 0.0 == reference_alpha([[1], [2]], "nominal")
    assert cohen_kappa([1], [2]) == 0.0


def test_perfect_agreement_is_exactly_one() -> None:
    data = [[1, 2, 3, N], [1, 2, 3, 3], [1, N, 3, 3]]
    for level in LEVELS:
        assert krippendorff_alpha(data, level) == 1.0
    assert percent_agreement(data) == 1.0


def test_nan_counts_as_missing() -> None:
    nan = float("nan")
    assert krippendorff_alpha([[1, 2, nan], [1, 2, 2]]) == krippendorff_alpha(
        [[1, 2, N], [1, 2, 2]]
    )
    assert cohen_kappa([1, 2, nan], [1, 2, 2]) == cohen_kappa([1, 2], [1, 2])


@pytest.mark.parametrize(
    "call",
    [
        lambda: krippendorff_alpha([[1, 2], [1]]),
        lambda: percent_agreement([[1, 2], [1]]),
        lambda: cohen_kappa([1, 2], [1]),
        lambda: krippendorff_alpha(["ab", "ab"]),
        lambda: krippendorff_alpha([[1, 2], [2, 1]], "circular"),
        lambda: krippendorff_alpha([[1, 2], [2, 1]], "nominal", order=[1, 2]),
        lambda: krippendorff_alpha([["a", "b"], ["a", "a"]], "interval"),
        lambda: krippendorff_alpha([[1, -2], [1, 1]], "ratio"),
        lambda: krippendorff_alpha([[1, "b"], [1, 1]], "ordinal"),
    ],
)
def test_malformed_input_is_an_error_not_an_undefined_figure(call) -> None:
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert not isinstance(info.value, UndefinedFigure)


def test_safe_does_not_swallow_malformed_input() -> None:
    with pytest.raises(ValueError, match="same units"):
        safe(krippendorff_alpha, [[1, 2], [1]])


# --- Figure and safe() --------------------------------------------------------------------


def test_figure_and_safe() -> None:
    good = safe(krippendorff_alpha, FOUR_OBSERVERS, "interval")
    assert good.defined and float(good) == krippendorff_alpha(FOUR_OBSERVERS, "interval")
    assert str(good) == "0.849"
    assert dataclasses.asdict(good) == {"value": good.value, "reason": None}

    bad = safe(cohen_kappa, ["a", "a"], ["a", "a"])
    assert not bad.defined and bad.value is None
    assert str(bad).startswith("undefined: both coders used only the category 'a'")
    with pytest.raises(UndefinedFigure):
        float(bad)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bad.value = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        Figure(None)
    with pytest.raises(ValueError):
        Figure(0.5, "both")


def test_module_doctests() -> None:
    result = doctest.testmod(metrics)
    assert result.attempted > 0 and result.failed == 0
