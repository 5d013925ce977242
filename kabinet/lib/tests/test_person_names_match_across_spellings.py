"""A name as written in a text matches a teammate across scripts, spellings and short forms."""

from __future__ import annotations

import pytest

from kabinet.lib.person_names import match, same_person


@pytest.mark.parametrize(
    ("named", "full_name"),
    [
        ("Сергей", "Сергей Соловьёв"),
        ("Sergey", "Сергей Соловьёв"),
        ("Sergei", "Сергей Соловьёв"),
        ("Серёжа", "Сергей Соловьёв"),
        ("Sergey Solovyov", "Сергей Соловьёв"),
        ("Вика", "Виктория Лебедева"),
        ("Victoria", "Виктория Лебедева"),
        ("Viktoriya", "Виктория Лебедева"),
        ("Julia", "Юлия Ким"),
        ("Alexey", "Алексей Тихонов"),
    ],
)
def test_the_same_person_in_another_spelling(named: str, full_name: str) -> None:
    assert same_person(named, full_name)


@pytest.mark.parametrize(
    ("named", "full_name"),
    [
        ("Виктория", "Ирина Павлова"),
        ("Сергей Петров", "Сергей Соловьёв"),
        ("Марина", "Мария Белова"),
    ],
)
def test_another_person_is_not_matched(named: str, full_name: str) -> None:
    assert not same_person(named, full_name)


def test_an_ambiguous_first_name_matches_nobody() -> None:
    team = [("Сергей Соловьёв", 1), ("Сергей Петров", 2), ("Виктория Лебедева", 3)]
    assert match("Sergey", team) is None
    assert match("Сергей Петров", team) == 2
    assert match("Вика", team) == 3
