import threading

import pytest
from django.db import connection, connections, transaction

from xinfang.cases.numbering import case_number_allocate
from xinfang.org.models import Town

pytestmark = pytest.mark.django_db


def test_numbers_look_like_the_towns_official_form(fenjie):
    with transaction.atomic():
        assert case_number_allocate(town=fenjie, year=2026) == (1, "分信〔2026〕0001号")
        assert case_number_allocate(town=fenjie, year=2026)[1] == "分信〔2026〕0002号"
        assert case_number_allocate(town=fenjie, year=2027)[1] == "分信〔2027〕0001号"


def test_each_town_counts_on_its_own(fenjie, hetang):
    with transaction.atomic():
        case_number_allocate(town=fenjie, year=2026)
        assert case_number_allocate(town=hetang, year=2026)[1] == "荷信〔2026〕0001号"


def test_a_registration_that_fails_gives_its_number_back(fenjie):
    with pytest.raises(ValueError), transaction.atomic():
        case_number_allocate(town=fenjie, year=2026)
        raise ValueError("登记失败")
    with transaction.atomic():
        assert case_number_allocate(town=fenjie, year=2026)[0] == 1


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused(cast):
    fenjie = Town.objects.get(code="fenjie")
    with pytest.raises(RuntimeError):
        case_number_allocate(town=fenjie, year=2026)


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_at_the_same_instant_get_400_distinct_gap_free_numbers(cast):
    town = Town.objects.get(code="fenjie")
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def clerk():
        try:
            start.wait()
            for _ in range(50):
                with transaction.atomic():
                    numbers.append(case_number_allocate(town=town, year=2026)[1])
        except BaseException as exc:  # every failure is a test failure, reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert len(numbers) == 400
    assert sorted(numbers) == [f"分信〔2026〕{i:04d}号" for i in range(1, 401)]
    assert connection.vendor in ("sqlite", "postgresql")
