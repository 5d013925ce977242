from __future__ import annotations

from kabinet.lib.scheduling.priority import DEFAULT_WEIGHTS, FACTORS
from kabinet.planning.models import PriorityWeights


def _form(**overrides):
    data = {f"w_{name}": str(DEFAULT_WEIGHTS[name]) for name in FACTORS}
    data["capacity_hours"] = "6"
    data.update(overrides)
    return data


def test_bad_weights_get_a_clear_message_and_the_form_keeps_the_input(agency, head, login):
    client = login(head)
    response = client.post(
        "/planning/weights/", _form(w_promise="много", w_tier="-2", capacity_hours="30")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Укажите число" in page
    assert "Вес — число от 0 до 100" in page
    assert "Дневная загрузка" in page
    assert 'value="много"' in page and 'value="-2"' in page and 'value="30"' in page
    assert not PriorityWeights.objects.filter(agency=agency, updated_by=head).exists()


def test_the_head_sets_the_weights_and_the_plan_uses_them(agency, head, login):
    response = login(head).post("/planning/weights/", _form(w_promise="7,5", capacity_hours="5"))
    assert response.status_code == 302
    row = PriorityWeights.objects.get(agency=agency)
    assert row.weights["promise"] == 7.5 and float(row.capacity_hours) == 5
    assert row.updated_by == head
    assert row.merged()["tier"] == DEFAULT_WEIGHTS["tier"]
