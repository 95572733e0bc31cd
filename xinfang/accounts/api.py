from ninja import Router, Schema

router = Router(tags=["账号"])


class UnitOut(Schema):
    kind: str
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    town: str | None
    town_id: int | None
    units: list[UnitOut]


@router.get("/me", response=MeOut, summary="当前调用者、角色与所属单位")
def me(request):
    user = request.user
    units = []
    if user.village_id:
        units.append({"kind": "village", "id": user.village_id, "name": user.village.name})
    if user.grid_id:
        units.append({"kind": "grid", "id": user.grid_id, "name": user.grid.name})
    if user.department_id:
        units.append({"kind": "department", "id": user.department_id, "name": user.department.name})
    if user.person_id and user.person.is_leader:
        units.extend({"kind": "line", "id": d.pk, "name": d.name} for d in user.person.lines.all())
        units.extend(
            {"kind": "contact_village", "id": v.pk, "name": v.name}
            for v in user.person.contact_villages.all()
        )
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "town": user.town.name if user.town_id else None,
        "town_id": user.town_id,
        "units": units,
    }
