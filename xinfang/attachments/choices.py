from django.db import models


class AttachmentKind(models.TextChoices):
    MEDIATION_AGREEMENT = "mediation_agreement", "调解协议书"
    STOP_COMMITMENT = "stop_commitment", "停诉息访承诺书"
    OPINION = "opinion", "处理意见书（签收件）"
    MATERIAL = "material", "信访材料"
    OTHER = "other", "其他"


# The kinds that prove a case resolved: the `resolve` transition asks for one of these.
EVIDENCE_KINDS = frozenset({AttachmentKind.MEDIATION_AGREEMENT.value, AttachmentKind.STOP_COMMITMENT.value})
