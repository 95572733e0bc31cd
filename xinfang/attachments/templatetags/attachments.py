from django import template

from ..choices import AttachmentKind
from ..selectors import attachment_list
from ..services import UPLOAD_ROLES, allowed_types, size_text

register = template.Library()


@register.filter
def file_size(size: int) -> str:
    """830.0 KB, 1.5 MB."""
    return size_text(size or 0)


@register.inclusion_tag("attachments/_case_attachments.html", takes_context=True)
def case_attachments(context, case):
    """The case page's attachment card: the files the user may see and, for those who may add
    files, the upload form."""
    from django.conf import settings

    user = context["request"].user
    types = allowed_types()
    return {
        "case": case,
        "attachments": attachment_list(user=user, case_id=case.pk),
        "can_upload": user.role in UPLOAD_ROLES,
        "kinds": AttachmentKind.choices,
        "accept": ",".join(f".{t}" + (",.jpeg" if t == "jpg" else "") for t in types),
        "allowed": "、".join(t.upper() for t in types),
        "max_mb": settings.XINFANG_ATTACHMENT_MAX_MB,
    }
