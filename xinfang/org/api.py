from typing import Literal

from ninja import Query, Router, Schema

from xinfang.core.schemas import Id

from . import selectors

router = Router(tags=["配置"])


class DepartmentRef(Schema):
    id: int
    code: str
    name: str


class CategoryOut(Schema):
    id: int
    town_id: int
    code: str
    name: str
    description: str
    matters: list[str]
    lead_department: DepartmentRef
    supporting_departments: list[DepartmentRef]
    within_village_powers: bool
    matters_outside_village_powers: list[str]


class PersonRef(Schema):
    id: int
    name: str
    title: str


class GridOut(Schema):
    id: int
    code: str
    name: str


class VillageOut(Schema):
    id: int
    town_id: int
    code: str
    name: str
    kind: str
    contact_leader: PersonRef
    party_head: PersonRef
    cadre: PersonRef
    grids: list[GridOut]


def _dept(d):
    return {"id": d.pk, "code": d.code, "name": d.name}


def _person(p):
    return {"id": p.pk, "name": p.name, "title": p.title}


@router.get("/categories", response=list[CategoryOut], summary="问题类别及其牵头、配合部门")
def categories(request):
    return [
        {
            "id": c.pk,
            "town_id": c.town_id,
            "code": c.code,
            "name": c.name,
            "description": c.description,
            "matters": c.matters,
            "lead_department": _dept(c.lead),
            "supporting_departments": [_dept(d) for d in c.supporting.all()],
            "within_village_powers": c.within_village_powers,
            "matters_outside_village_powers": c.matters_outside_village_powers,
        }
        for c in selectors.category_list(user=request.user)
    ]


def _village(v):
    return {
        "id": v.pk,
        "town_id": v.town_id,
        "code": v.code,
        "name": v.name,
        "kind": v.kind,
        "contact_leader": _person(v.contact_leader),
        "party_head": _person(v.party_head),
        "cadre": _person(v.cadre),
        "grids": [{"id": g.pk, "code": g.code, "name": g.name} for g in v.grids.all()],
    }


@router.get("/villages", response=list[VillageOut], summary="村（居）及其网格")
def villages(request, kind: Literal["village", "community"] | None = Query(None, description="村或社区")):
    found = selectors.village_list(user=request.user)
    if kind:
        found = found.filter(kind=kind)
    return [_village(v) for v in found]


@router.get("/villages/{village_id}", response=VillageOut, summary="一个村（居）")
def village(request, village_id: Id):
    return _village(selectors.village_get(user=request.user, pk=village_id))
