"""上下交叉排查: what a unit reported about itself beside what others reported about it."""

from xinfang.org.models import Category
from xinfang.screening import selectors, services

from .conftest import ID_A, ID_B, item, report_of


def test_cross_screening_shows_differences(cast, rnd):
    village = cast["village1"].village
    dept = cast["dept1"].department
    land = Category.objects.filter(town=village.town).order_by("order").first()
    # The village reports one land dispute naming one person.
    services.report_submit(
        acting_user=cast["village1"],
        report_id=report_of(rnd, cast["village1"]).pk,
        items=[item(category_id=land.pk, person_name="钱某某", person_id_number=ID_A, department_id=dept.pk)],
    )
    # The line reports, about that village, the same matter with another person, and a hidden risk.
    services.report_submit(
        acting_user=cast["dept1"],
        report_id=report_of(rnd, cast["dept1"]).pk,
        items=[
            item(
                category_id=land.pk,
                village_id=village.pk,
                person_name="孙某某",
                person_id_number=ID_B,
                risk_level="high",
            ),
            item(kind="hazard", title="养殖场污染隐患", village_id=village.pk),
        ],
    )
    rows = selectors.cross_screening(user=cast["office"], rnd=rnd)
    v = next(r for r in rows if r["kind"] == "village" and r["id"] == village.pk)
    assert (v["own_count"], v["others_count"]) == (1, 2)
    by_matter = {m["matter"]: m for m in v["matters"]}
    land_row = by_matter[f"矛盾纠纷 · {land.name}"]
    assert any("孙某某" in d for d in land_row["differences"])
    assert any("高风险" in d for d in land_row["differences"])
    assert by_matter["风险隐患"]["differences"] == ["本单位未报告，其他单位报告 1 条"]
    # For the line: the village's item about the line is "others", the line's own two are its own.
    d = next(r for r in rows if r["kind"] == "department" and r["id"] == dept.pk)
    assert (d["own_count"], d["others_count"]) == (2, 1)


def test_cross_screening_is_scoped(cast, rnd):
    v2 = cast["village2"].village
    services.report_submit(
        acting_user=cast["dept1"],
        report_id=report_of(rnd, cast["dept1"]).pk,
        items=[item(village_id=v2.pk, title="二村宅基地纠纷")],
    )
    # village1 sees nothing of village2.
    rows = selectors.cross_screening(user=cast["village1"], rnd=rnd)
    assert all(r["id"] != v2.pk or r["kind"] != "village" for r in rows)
    assert selectors.cross_screening(user=cast["h_office"], rnd=rnd) == []
    assert any(r["id"] == v2.pk for r in selectors.cross_screening(user=cast["village2"], rnd=rnd))
