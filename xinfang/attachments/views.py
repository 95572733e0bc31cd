from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from xinfang.accounts.choices import WORK_ROLES
from xinfang.core.access import roles_required

from . import selectors
from .downloads import AttachmentDamaged, attachment_response
from .services import UPLOAD_ROLES, attachment_add, size_text


@require_POST
@roles_required(*UPLOAD_ROLES)
def attachment_upload(request, case_pk: int):
    """The case page's upload form; whatever happens, back to the case page with a message."""
    try:
        attachment = attachment_add(
            case_id=case_pk,
            acting_user=request.user,
            file=request.FILES.get("file"),
            kind=request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, f"附件未上传：{problem}")
    except PermissionDenied:
        return render(request, "web/forbidden.html", status=403)
    else:
        messages.success(
            request,
            f"已上传{attachment.get_kind_display()}“{attachment.name}”（{size_text(attachment.size)}）。",
        )
    return redirect("cases:detail", pk=case_pk)


@require_GET
@roles_required(*WORK_ROLES)
def attachment_download(request, case_pk: int, pk: int):
    attachment = selectors.attachment_get(user=request.user, pk=pk, case_id=case_pk)
    try:
        return attachment_response(attachment=attachment, user=request.user)
    except AttachmentDamaged as exc:
        messages.error(request, str(exc))
        return redirect("cases:detail", pk=case_pk)
