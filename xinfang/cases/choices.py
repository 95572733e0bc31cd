from django.db import models


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PHONE = "phone", "来电"
    ONLINE = "online", "网上信访"
    REFERRAL = "referral", "上级交转办"


class Level(models.TextChoices):
    COUNTY = "county", "县"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    NATIONAL = "national", "国家（京）"


class PetitionKind(models.TextChoices):
    SUGGESTION = "suggestion", "建议意见类"
    ACCUSATION = "accusation", "检举控告类"
    CLAIM = "claim", "申诉求决类"


class CaseState(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ASSIGNED = "assigned", "已交办"
    HANDLING = "handling", "办理中"
    EXTENDED = "extended", "已延期"
    REPLIED = "replied", "已出具处理意见"
    RATED = "rated", "已评价"
    REVIEW = "review", "复查中"
    RE_REVIEW = "re_review", "复核中"
    CLOSED = "closed", "已终结"
    STABILIZED = "stabilized", "已稳控"
    RESOLVED = "resolved", "已化解"


OPEN_STATES = frozenset(
    {
        CaseState.REGISTERED,
        CaseState.ACCEPTED,
        CaseState.ASSIGNED,
        CaseState.HANDLING,
        CaseState.EXTENDED,
        CaseState.REPLIED,
        CaseState.RATED,
        CaseState.REVIEW,
        CaseState.RE_REVIEW,
        CaseState.STABILIZED,
    }
)


class CaseEventType(models.TextChoices):
    REGISTERED = "registered", "登记"
    REPEAT = "repeat", "重复信访"
    REBOUND = "rebound", "化解后反弹"
    ACCEPTED = "accepted", "受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ATTACHED = "attached", "上传附件"
