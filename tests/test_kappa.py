"""Cohen's and Fleiss' kappa, one definition (assessment.kappa), with hand-worked expectations:
kappa = (p_o - p_e) / (1 - p_e), p_o the observed and p_e the chance agreement."""

from __future__ import annotations

import pytest

from assessment import kappa, training
from assessment.evaluation import agreement


def test_cohen_by_hand() -> None:
    # 10 items: both "a" 4, both "b" 3, A "a" B "b" 2, A "b" B "a" 1. p_o = 0.7; A: a 6, b 4; B: a 5, b 5;
    # p_e = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    assert kappa.cohen([[4, 2], [1, 3]]) == pytest.approx(0.4)
    assert kappa.cohen([[5, 0], [0, 5]]) == pytest.approx(1.0)
    assert kappa.cohen([[0, 5], [5, 0]]) == pytest.approx(-1.0)


def test_fleiss_by_hand() -> None:
    # 2 subjects, 3 raters, 2 categories: (3, 0) and (1, 2). P_1 = 1, P_2 = (0 + 2) / 6 = 1/3, P_bar = 2/3;
    # p_a = 4/6, p_b = 2/6, P_e = 16/36 + 4/36 = 5/9; kappa = (2/3 - 5/9) / (1 - 5/9) = 1/4.
    assert kappa.fleiss([[3, 0], [1, 2]]) == pytest.approx(0.25)


def test_the_undefined_case_has_one_answer_everywhere() -> None:
    # Every rating in one and the same category: p_e = 1, kappa = 0/0.
    assert kappa.cohen([[7, 0, 0], [0, 0, 0], [0, 0, 0]]) is None
    assert kappa.fleiss([[3, 0, 0], [3, 0, 0]]) is None
    assert kappa.fleiss([]) is None
    assert agreement.cohen([[7, 0, 0], [0, 0, 0], [0, 0, 0]]) is None
    assert agreement.fleiss_counts([[3, 0, 0], [3, 0, 0]]) is None
    assert training.cohen(["unknown"] * 5, ["unknown"] * 5) is None
    assert training.fleiss([["present"] * 4] * 3) is None
