from django.shortcuts import render
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import PERSONAL_DATA_ROLES, Role
from xinfang.core.access import roles_required

from . import selectors
from .services import person_phone_reveal

R = Role
# Who may read the town's organisation pages; the menu (web.navigation) offers them to the same roles.
ORG_ROLES = (R.OFFICE, R.LEADER, R.DEPARTMENT, R.VILLAGE, R.GRID, R.SUPERVISOR, R.COUNTY, R.SYSADMIN)


@roles_required(Role.COUNTY)
def town_list(request):
    return render(request, "org/town_list.html", {"towns": selectors.town_list(user=request.user)})


@roles_required(*ORG_ROLES)
def village_list(request):
    return render(request, "org/village_list.html", {"villages": selectors.village_list(user=request.user)})


@roles_required(*ORG_ROLES)
def village_detail(request, pk: int):
    village = selectors.village_get(user=request.user, pk=pk)
    return render(request, "org/village_detail.html", {"village": village})


@roles_required(*ORG_ROLES)
def department_list(request):
    departments = selectors.department_list(user=request.user)
    return render(request, "org/department_list.html", {"departments": departments})


@roles_required(*ORG_ROLES)
def department_detail(request, pk: int):
    department = selectors.department_get(user=request.user, pk=pk)
    return render(request, "org/department_detail.html", {"department": department})


@roles_required(*ORG_ROLES)
def category_list(request):
    return render(
        request, "org/category_list.html", {"categories": selectors.category_list(user=request.user)}
    )


@roles_required(*ORG_ROLES)
def leader_list(request):
    return render(request, "org/leader_list.html", {"leaders": selectors.leader_list(user=request.user)})


@roles_required(*ORG_ROLES)
def town_config(request):
    return render(
        request,
        "org/config.html",
        {
            "targets": selectors.target_list(user=request.user),
            "cadences": selectors.cadence_list(user=request.user),
            "time_limits": selectors.time_limits_list(user=request.user),
        },
    )


@require_POST
@roles_required(*PERSONAL_DATA_ROLES)
def person_phone(request, pk: int):
    """Shows one full phone number, on purpose, and records that it was seen."""
    person = person_phone_reveal(person_id=pk, acting_user=request.user)
    return render(request, "org/_phone.html", {"person": person})
