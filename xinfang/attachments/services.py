"""Adding an attachment to a case: checks, the file on disk, the row, the case event, the audit row."""

import logging
import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.choices import CaseEventType
from xinfang.cases.models import Case, CaseEvent
from xinfang.core.scoping import get_scoped_or_404

from . import storage
from .choices import AttachmentKind
from .models import Attachment
from .sniffing import KNOWN_TYPES, label_of, sniff

log = logging.getLogger(__name__)

# Who may add files to a case they can see; the grid, the supervisors and the county only read them.
UPLOAD_ROLES = frozenset({Role.OFFICE, Role.LEADER, Role.DEPARTMENT, Role.VILLAGE})
MB = 1024 * 1024


def allowed_types() -> list[str]:
    """The extensions that may be uploaded, as set in XINFANG_ATTACHMENT_TYPES ("jpeg" counts as "jpg")."""
    types = ["jpg" if t == "jpeg" else t for t in settings.XINFANG_ATTACHMENT_TYPES]
    return list(dict.fromkeys(t for t in types if t in KNOWN_TYPES))


def allowed_text() -> str:
    return "、".join(t.upper() for t in allowed_types())


def max_bytes() -> int:
    return settings.XINFANG_ATTACHMENT_MAX_MB * MB


def size_text(size: int) -> str:
    """Bytes as a person reads them: 830 KB, 1.5 MB."""
    if size < MB:
        return f"{max(size / 1024, 0.1):.1f} KB" if size else "0 KB"
    return f"{size / MB:.1f} MB"


def _too_large(size: int) -> ValidationError:
    limit = settings.XINFANG_ATTACHMENT_MAX_MB
    shown = f"{size / MB:.1f}"
    if float(shown) <= limit:  # 20.04 MB must not read "20.0 MB, over the 20 MB limit"
        shown = f"{size / MB:.2f}"
    return ValidationError(
        {"file": f"文件大小 {shown} MB，超过 {limit} MB 的上限，请压缩或分拆后上传。"}, code="too_large"
    )


def clean_name(name: str) -> str:
    """The name as the user's computer gave it, without folders or control characters."""
    name = (name or "").replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else name[:255]
    return name


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    return "jpg" if suffix == "jpeg" else suffix


def _check_name(name: str) -> str:
    """The extension the name claims, if it is one that may be uploaded."""
    if not name:
        raise ValidationError({"file": "文件没有名称，请选择要上传的文件。"}, code="no_name")
    extension = _extension(name)
    if not extension:
        raise ValidationError(
            {"file": f"文件“{name}”没有扩展名，无法确认类型。只能上传 {allowed_text()} 文件。"},
            code="no_extension",
        )
    if extension not in allowed_types():
        raise ValidationError(
            {"file": f"不能上传 .{extension} 文件。只能上传 {allowed_text()} 文件，请转换格式后再上传。"},
            code="type_not_allowed",
        )
    return extension


def _check_content(incoming: storage.Incoming, claimed: str, name: str) -> str:
    """The sniffed type, when it is allowed and agrees with the name; the content type to store."""
    found = sniff(incoming.temp)
    shown = PurePosixPath(name).suffix.lower()
    if found.extension == claimed:
        return found.content_type
    if found.extension in allowed_types():
        message = f"文件扩展名为 {shown}，但内容是{found.label}，请核对文件。"
    elif found.extension is None:
        message = (
            f"文件扩展名为 {shown}，但内容不是{label_of(claimed)}（无法识别的格式），请核对文件。"
            f"只能上传 {allowed_text()} 文件。"
        )
    else:
        message = (
            f"文件扩展名为 {shown}，但内容是{found.label}，不能上传。"
            f"请核对文件；只能上传 {allowed_text()} 文件。"
        )
    raise ValidationError({"file": message}, code="content_mismatch")


def _check_kind(kind: str) -> None:
    if kind not in AttachmentKind.values:
        choices = "、".join(f"{value}（{label}）" for value, label in AttachmentKind.choices)
        raise ValidationError({"kind": f"请选择附件类型。可选：{choices}。"}, code="kind")


def attachment_add(*, case_id: int, acting_user, file, kind: str, note: str = "") -> Attachment:
    """Attach an uploaded file to a case.

    Raises Http404 when the case is out of the user's scope, PermissionDenied for a read-only role and
    ValidationError({"file" | "kind" | "note": message}) for bad input. The checks, the hashing and the
    sniffing happen before the database transaction (which on SQLite holds the write lock); the row,
    the case event and the audit row are then written in one transaction. When anything fails after
    the file was put in place, a file this call created is removed again.
    """
    case = get_scoped_or_404(Case.objects.select_related("town"), acting_user, pk=case_id)
    if acting_user.role not in UPLOAD_ROLES:
        raise PermissionDenied(f"{acting_user.get_role_display()}只能查看附件，不能上传。")
    _check_kind(kind)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": "说明太长了，最多 500 个字。"}, code="note")
    if file is None:
        raise ValidationError({"file": "请选择要上传的文件。"}, code="missing")
    name = clean_name(file.name)
    claimed = _check_name(name)
    # The size the upload declares is checked before a byte of it is read.
    if file.size is not None and file.size > max_bytes():
        raise _too_large(file.size)
    if file.size == 0:
        raise ValidationError({"file": f"文件“{name}”是空的（0 字节），请检查后重新选择。"}, code="empty")
    try:
        incoming = storage.receive(file, max_bytes=max_bytes())
    except storage.TooLarge as exc:
        raise _too_large(exc.size) from None
    created = False
    relative = None
    try:
        if incoming.size == 0:
            raise ValidationError({"file": f"文件“{name}”是空的（0 字节），请检查后重新选择。"}, code="empty")
        content_type = _check_content(incoming, claimed, name)
        relative, created = storage.place(incoming)
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                kind=kind,
                name=name,
                content_type=content_type,
                size=incoming.size,
                sha256=incoming.sha256,
                path=relative,
                uploaded_by=acting_user,
                note=note,
            )
            CaseEvent.objects.create(
                case=case,
                kind=CaseEventType.ATTACHED,
                at=timezone.now(),
                user=acting_user,
                data={"attachment": attachment.pk, "kind": kind, "name": name, "size": incoming.size},
            )
            audit_record(
                event=AuditEventType.CREATE,
                user=acting_user,
                target=attachment,
                town=case.town,
                new={"kind": kind, "size": incoming.size, "sha256": incoming.sha256},
                detail=f"上传附件（{attachment.get_kind_display()}）",
            )
    except BaseException:
        incoming.discard()
        if created:
            _remove_unreferenced(relative, incoming.sha256)
        raise
    return attachment


def _remove_unreferenced(relative: str, sha256: str) -> None:
    """Remove a file this upload created, unless a row (of a concurrent upload of the same content)
    already refers to it."""
    try:
        referenced = Attachment.objects.filter(sha256=sha256).exists()
    except Exception:  # the surrounding transaction may be unusable; the file is ours, so it goes
        referenced = False
    if not referenced:
        storage.remove(relative)
