from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.audit.models import AuditEvent
from xinfang.cases import selectors as case_selectors
from xinfang.core.health import health_report
from xinfang.core.scoping import scope
from xinfang.notices.selectors import notice_counts
from xinfang.org import selectors as org

TEMPLATES = {
    Role.OFFICE: "web/home_office.html",
    Role.LEADER: "web/home_leader.html",
    Role.DEPARTMENT: "web/home_department.html",
    Role.VILLAGE: "web/home_village.html",
    Role.GRID: "web/home_grid.html",
    Role.SUPERVISOR: "web/home_supervisor.html",
    Role.COUNTY: "web/home_county.html",
    Role.SYSADMIN: "web/home_sysadmin.html",
    Role.SECADMIN: "web/home_secadmin.html",
    Role.AUDITADMIN: "web/home_auditadmin.html",
}


@login_required
def home(request):
    user = request.user
    context = {"role_label": user.get_role_display()}
    builder = BUILDERS.get(user.role)
    if builder:
        context.update(builder(user))
    return render(request, TEMPLATES[user.role], context)


def _town_overview(user):
    villages = org.village_list(user=user)
    return {
        "village_count": villages.count(),
        "grid_count": sum(len(v.grids.all()) for v in villages),
        "department_count": org.department_list(user=user).count(),
        "categories": org.category_list(user=user),
        "targets": org.target_list(user=user),
        "cadences": org.cadence_list(user=user),
    }


def _office(user):
    """The petition office's working desk (工作台): what needs doing, each number opening its list."""
    from xinfang.reports import selectors as desk

    today = timezone.localdate()
    return {
        "desk_items": desk.desk(user=user, today=today),
        "notices": notice_counts(user=user),
        "intake": desk.desk_latest(user=user, today=today),
        "today": today,
    }


def _leader(user):
    person = user.person
    villages = org.village_list(user=user).filter(contact_leader=person)
    lines = org.department_list(user=user).filter(heading_leaders=person)
    categories = org.category_list(user=user).filter(lead__in=lines)
    return {
        "person": person,
        "villages": villages,
        "lines": lines,
        "categories": categories,
        "desk": case_selectors.desk(user=user),
        **_owned_plans(user, person),
    }


def _owned_plans(user, person):
    """The owner's overdue milestones and prominent cases still short of the five haves."""
    from xinfang.plans import selectors as plans

    if person is None:
        return {"overdue_milestones": [], "incomplete": []}
    today = timezone.localdate()
    return {
        "overdue_milestones": list(plans.overdue_milestones(user, today=today, owner=person)[:50]),
        "incomplete": plans.five_haves_incomplete(user=user, today=today, owner=person),
        "today": today,
    }


def _department(user):
    categories = org.category_list(user=user)
    return {
        "department": user.department,
        "led": categories.filter(lead=user.department),
        "supported": categories.filter(supporting=user.department),
        "leaders": org.leader_list(user=user).filter(lines=user.department),
        "desk": case_selectors.desk(user=user),
        "notices": notice_counts(user=user),
    }


def _village(user):
    return {
        "village": org.village_get(user=user, pk=user.village_id),
        "desk": case_selectors.desk(user=user),
        "notices": notice_counts(user=user),
    }


def _grid(user):
    """The grid worker's key persons first, each a tap away from its contact form (一日三见面)."""
    from xinfang.stability import selectors as stability

    kept = stability.key_persons(user=user).filter(status__in=["in_control", "away", "lost"])
    return {
        "village": org.village_get(user=user, pk=user.village_id),
        "grid": user.grid,
        "standings": sorted(stability.standings(list(kept)), key=lambda s: (not s.short, s.key_person.pk)),
    }


def _supervisor(user):
    return {**_town_overview(user), "villages": org.village_list(user=user)}


def _county(user):
    return {"towns": org.town_list(user=user)}


def _sysadmin(user):
    return {
        "town": user.town,
        "time_limits": org.time_limits_list(user=user).first(),
        "health": health_report(),
        "counts": _town_overview(user),
    }


def _secadmin(user):
    users = scope(User.objects.all(), user)
    by_role = users.values("role").annotate(n=Count("id")).order_by("role")
    labels = dict(Role.choices)
    cutoff = timezone.now() - get_cool_off()
    usernames = set(users.values_list("username", flat=True))
    locked = [
        a
        for a in AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=cutoff
        ).order_by("-attempt_time")
        if a.username in usernames
    ]
    return {
        "user_count": users.count(),
        "by_role": [(labels.get(r["role"], r["role"]), r["n"]) for r in by_role],
        "locked": locked,
        "inactive": users.filter(is_active=False),
    }


def _auditadmin(user):
    events = scope(AuditEvent.objects.all(), user)
    today = timezone.localdate()
    return {
        "events": events[:15],
        "failures_today": events.filter(created_at__date=today, success=False).count(),
        "events_today": events.filter(created_at__date=today).count(),
    }


BUILDERS = {
    Role.OFFICE: _office,
    Role.LEADER: _leader,
    Role.DEPARTMENT: _department,
    Role.VILLAGE: _village,
    Role.GRID: _grid,
    Role.SUPERVISOR: _supervisor,
    Role.COUNTY: _county,
    Role.SYSADMIN: _sysadmin,
    Role.SECADMIN: _secadmin,
    Role.AUDITADMIN: _auditadmin,
}
