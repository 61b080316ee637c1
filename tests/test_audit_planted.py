"""The anonymity audit against planted identifiers (bench/planted.py): generated interviews
with identifying details of fifteen kinds in natural Dutch speech and decoys that look like
names. The full audit must find at least 97% of them overall and 90% of every kind, in an
honest category, while flagging at most 10% of the decoys. The full-size figures are in
``make bench`` (bench/bench_audit.py)."""

from __future__ import annotations

import pytest

from bench.planted import DECOYS, KINDS, TEMPLATES, Plant, generate, measure
from workbench.audit.engine import audit_text
from workbench.services.anonymity.audit import PUBLIC_BODIES


def test_the_generator_plants_every_kind_at_its_offsets() -> None:
    interviews = generate(4, 6, seed=3)
    plants = [p for iv in interviews for p in iv.plants]
    assert {p.kind for p in plants if not p.decoy} == set(KINDS)
    assert all(sum(1 for p in plants if p.kind == k) == 6 for k in KINDS)
    assert sum(p.decoy for p in plants) >= 10
    for iv in interviews:
        for p in iv.plants:
            assert iv.text[p.start:p.end] == p.value
    # another seed, other values
    again = generate(4, 6, seed=4)
    assert [p.value for iv in again for p in iv.plants] != [p.value for p in plants]


def test_every_kind_has_several_sentence_shapes() -> None:
    assert set(TEMPLATES) == set(KINDS)
    assert all(len(shapes) >= 3 for shapes in TEMPLATES.values())
    assert len(DECOYS) >= 25


def test_the_measure_can_fail() -> None:
    interviews = generate(3, 4, seed=5)
    nothing = measure(interviews, lambda text: [])
    assert nothing.recall == 0 and nothing.decoy_rate == 0
    assert len(nothing.missed) == nothing.total == 4 * len(KINDS)

    class Everything:
        def __init__(self, n: int) -> None:
            self.start, self.end, self.category = 0, n, "entity"

    everything = measure(interviews, lambda text: [Everything(len(text))])
    assert everything.recall == 1 and everything.decoy_rate == 1
    assert everything.honesty == 0  # "entity" is no honest category for any kind

    class Half:  # a flag on the first half of each plant only: not covered
        def __init__(self, p: Plant) -> None:
            self.start, self.end, self.category = p.start, p.start + max(1, len(p.value) // 2), "person"

    half = measure(interviews, lambda text: [Half(p) for iv in interviews if iv.text == text
                                             for p in iv.plants if len(p.value) > 3])
    assert half.recall < 0.2


def test_the_pattern_detectors_alone_find_the_kinds_without_tables() -> None:
    """Without deduce (``audit --no-deduce``): every form-based kind and the names found by
    their context."""
    result = measure(generate(6, 10, seed=11),
                     lambda text: audit_text(text, allow=PUBLIC_BODIES, use_deduce=False))
    for kind in ("street", "postcode", "phone", "email", "age", "handle", "bsn", "plate",
                 "neighbourhood", "organisation", "school"):
        assert result.recall_of(kind) >= 0.9, (kind, result.table(), result.missed)
    assert result.decoy_rate <= 0.10, result.flagged_decoys


@pytest.mark.slow
@pytest.mark.parametrize("seed", [21, 22])
def test_the_full_audit_finds_planted_identifiers(deduce_ready, seed: int) -> None:
    result = measure(generate(8, 10, seed=seed),
                     lambda text: audit_text(text, allow=PUBLIC_BODIES))
    report = result.table() + "\n" + "\n".join(map(str, result.missed))
    assert result.recall >= 0.97, report
    for kind in KINDS:
        assert result.recall_of(kind) >= 0.90, (kind, report)
    assert result.honesty >= 0.90, report
    assert result.decoy_rate <= 0.10, (result.flagged_decoys, report)
