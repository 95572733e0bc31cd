from django import template

from xinfang.accounts.choices import PERSONAL_DATA_ROLES
from xinfang.core.masking import mask_id_number, mask_phone

register = template.Library()

register.filter("mask_phone", mask_phone)
register.filter("mask_id", mask_id_number)


@register.inclusion_tag("web/_phone_cell.html", takes_context=True)
def phone(context, person):
    """A phone number masked, with a button that shows it in full for roles that need it (audited)."""
    user = context["request"].user
    return {
        "person": person,
        "masked": mask_phone(person.phone if person else ""),
        "can_reveal": bool(person and person.phone and user.role in PERSONAL_DATA_ROLES),
    }


@register.filter
def percent(value):
    return f"{value * 100:.0f}%"


@register.inclusion_tag("web/_due.html")
def due(day, today):
    """Time left to a due date, or how long it is overdue, in words and colour."""
    if day is None:
        return {"text": "—", "tone": "secondary"}
    left = (day - today).days
    if left < 0:
        return {"text": f"超期 {-left} 天", "tone": "danger", "day": day}
    if left == 0:
        return {"text": "今天到期", "tone": "warning-emphasis", "day": day}
    return {"text": f"剩 {left} 天", "tone": "warning-emphasis" if left <= 3 else "success", "day": day}
