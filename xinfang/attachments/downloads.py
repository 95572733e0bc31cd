"""Handing out a stored file: checksum first, audited, never sniffed or shown inline by the browser."""

import logging

from django.http import FileResponse

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record

from . import storage
from .models import Attachment

log = logging.getLogger(__name__)

DAMAGED = (
    "附件“{name}”的存储文件已被改动或丢失（{why}），为防止提供错误的材料，系统拒绝下载。"
    "请联系系统管理员从备份中恢复该文件。"
)


class AttachmentDamaged(Exception):
    """The stored file no longer matches its checksum; str() is the Chinese message for the user."""


def attachment_response(*, attachment: Attachment, user) -> FileResponse:
    """The file as a download, after checking its SHA-256; each download (and each refusal) is audited."""
    try:
        f = storage.open_verified(attachment.path, attachment.sha256)
    except storage.StoredFileDamaged as exc:
        log.error("attachment %s (%s) failed its checksum: %s", attachment.pk, attachment.path, exc)
        audit_record(
            event=AuditEventType.EXPORT,
            user=user,
            target=attachment,
            town=attachment.case.town,
            success=False,
            detail=f"下载附件被拒绝：{exc}",
        )
        raise AttachmentDamaged(DAMAGED.format(name=attachment.name, why=exc)) from None
    audit_record(
        event=AuditEventType.EXPORT,
        user=user,
        target=attachment,
        town=attachment.case.town,
        detail=f"下载附件（{attachment.get_kind_display()}）",
    )
    response = FileResponse(
        f, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
