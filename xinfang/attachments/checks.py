from django.conf import settings
from django.core import checks

from .sniffing import KNOWN_TYPES


@checks.register()
def attachment_settings(app_configs=None, **kwargs):
    errors = []
    unknown = [t for t in settings.XINFANG_ATTACHMENT_TYPES if t not in KNOWN_TYPES and t != "jpeg"]
    if unknown:
        errors.append(
            checks.Error(
                f"XINFANG_ATTACHMENT_TYPES 中有无法核验内容的类型：{', '.join(unknown)}。"
                f"可用：{', '.join(KNOWN_TYPES)}。",
                id="attachments.E001",
            )
        )
    if settings.XINFANG_ATTACHMENT_MAX_MB < 1:
        errors.append(checks.Error("XINFANG_ATTACHMENT_MAX_MB 应不小于 1。", id="attachments.E002"))
    return errors
