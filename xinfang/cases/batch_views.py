"""The 集中交办 page: the accepted cases with their proposals, a tick for each, one confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from xinfang.accounts.choices import Role
from xinfang.core.access import roles_required

from .batch import BATCH_MAX, batch_assign, batch_candidates


def _items(values) -> list[tuple[int, int | None]]:
    """ "12:3" (case 12 as seen at version 3) from each ticked box; anything else is ignored."""
    items = []
    for value in values:
        case, _, version = str(value).partition(":")
        if case.isdigit() and len(case) < 13 and (not version or (version.isdigit() and len(version) < 10)):
            items.append((int(case), int(version) if version else None))
    return items


@roles_required(Role.OFFICE)
def batch_assign_page(request):
    outcomes = []
    if request.method == "POST":
        try:
            outcomes = batch_assign(acting_user=request.user, items=_items(request.POST.getlist("case")))
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                messages.error(request, problems[0])
        except PermissionDenied as exc:
            return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
        else:
            done = sum(1 for o in outcomes if o.assigned)
            if done:
                messages.success(request, f"已交办 {done} 件，交办单已发送。")
            if refused := len(outcomes) - done:
                messages.warning(request, f"{refused} 件未能交办，原因见下表。")
    return render(
        request,
        "cases/batch_assign.html",
        {"candidates": batch_candidates(user=request.user), "outcomes": outcomes, "limit": BATCH_MAX},
    )
