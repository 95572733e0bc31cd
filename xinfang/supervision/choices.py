from django.db import models


class NoticeStatus(models.TextChoices):
    """督办单的状态. `overdue` is never stored: an issued notice past its reply deadline is overdue
    (see SupervisionNotice.status_on), so that nothing has to run for a notice to turn red."""

    ISSUED = "issued", "已下发·待回复"
    REPLIED = "replied", "已回复"
    OVERDUE = "overdue", "逾期未回复"
    CLOSED = "closed", "已办结"


STORED_STATUSES = (NoticeStatus.ISSUED, NoticeStatus.REPLIED, NoticeStatus.CLOSED)


class Subject(models.TextChoices):
    CASE = "case", "信访事项"
    KEY_PERSON = "key_person", "重点人员"
    THEME = "theme", "专题"


class UnitKind(models.TextChoices):
    VILLAGE = "village", "村（居）"
    DEPARTMENT = "department", "部门（条线）"
