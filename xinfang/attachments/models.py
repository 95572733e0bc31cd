from django.db import models

from xinfang.cases.models import CASE_PART_SCOPE

from .choices import EVIDENCE_KINDS, AttachmentKind

__all__ = ["EVIDENCE_KINDS", "Attachment", "AttachmentKind"]


class Attachment(models.Model):
    """A file on a case: evidence, the signed opinion, the petitioner's material.

    The bytes live outside the database under XINFANG_ATTACHMENT_DIR, at a path named by their
    SHA-256, so the same content uploaded twice is stored once and an altered file is noticed.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="attachments", verbose_name="信访事项"
    )
    kind = models.CharField("类型", max_length=30, choices=AttachmentKind.choices)
    name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256 校验值", max_length=64, db_index=True)
    path = models.CharField("存储路径", max_length=200, help_text="相对于附件存储目录")
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    note = models.CharField("说明", max_length=500, blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="attachment_case_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def audit_label(self) -> str:
        # The file name may say what the case is about; the audit log names only the case number.
        return f"{self.case.number} 附件 {self.pk}"
