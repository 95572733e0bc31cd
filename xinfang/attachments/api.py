import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from xinfang.cases.selectors import case_get
from xinfang.core.inputs import control_problem
from xinfang.core.schemas import ErrorOut, Id

from . import selectors
from .downloads import AttachmentDamaged, attachment_response
from .models import Attachment
from .services import attachment_add

router = Router(tags=["附件"])
KIND_HELP = (
    "mediation_agreement 调解协议书、stop_commitment 停诉息访承诺书、"
    "opinion 处理意见书（签收件）、material 信访材料、other 其他"
)


class AttachmentOut(Schema):
    id: int
    case: int
    kind: str
    kind_label: str
    name: str
    size: int
    sha256: str
    content_type: str
    note: str
    uploaded_by: str
    uploaded_at: dt.datetime


class AttachmentListOut(Schema):
    items: list[AttachmentOut]
    count: int


def _attachment(a: Attachment) -> dict:
    return {
        "id": a.pk,
        "case": a.case_id,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "name": a.name,
        "size": a.size,
        "sha256": a.sha256,
        "content_type": a.content_type,
        "note": a.note,
        "uploaded_by": a.uploaded_by.display_name,
        "uploaded_at": a.uploaded_at,
    }


@router.post(
    "/cases/{case_id}/attachments",
    response={201: AttachmentOut, 403: ErrorOut},
    summary="上传附件（multipart/form-data：kind、file、note）",
)
def attachment_create(
    request,
    case_id: Id,
    file: Annotated[UploadedFile, File(description="文件")],
    kind: Annotated[str, Form(max_length=40, description=KIND_HELP)],
    note: Annotated[str, Form(max_length=500, description="说明")] = "",
):
    if problem := control_problem(note):
        raise ValidationError({"note": f"{problem}。"})
    attachment = attachment_add(case_id=case_id, acting_user=request.user, file=file, kind=kind, note=note)
    return Status(201, _attachment(attachment))


@router.get("/cases/{case_id}/attachments", response=AttachmentListOut, summary="一个信访事项的附件")
def attachment_index(request, case_id: Id):
    case = case_get(user=request.user, pk=case_id)
    items = [_attachment(a) for a in selectors.attachment_list(user=request.user, case_id=case.pk)]
    return {"items": items, "count": len(items)}


@router.get(
    "/attachments/{attachment_id}/content",
    response={200: None, 500: ErrorOut},
    summary="下载附件（先核对校验值；每次下载记入审计日志）",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容（Content-Type 为附件的类型，如 application/pdf、image/png）",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def attachment_content(request, attachment_id: Id):
    attachment = selectors.attachment_get(user=request.user, pk=attachment_id)
    try:
        return attachment_response(attachment=attachment, user=request.user)
    except AttachmentDamaged as exc:
        return Status(500, {"detail": str(exc)})
