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
    CLOSED = "closed", "已办结终结"
    LEGAL = "legal", "已导入法律程序"


class Resolution(models.TextChoices):
    """The campaign's track beside the statutory one (不得以程序性办结代替实体性解决): a case is at one
    point on each. Only 对账销号 of evidence of 化解 takes a case to RESOLVED; a rebound takes it back."""

    OPEN = "open", "在办"
    STABILIZED = "stabilized", "稳控"
    SUBMITTED = "submitted", "报送化解·待销号"
    RESOLVED = "resolved", "已化解·防反弹"


class DeliveryWay(models.TextChoices):
    IN_PERSON = "in_person", "直接送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    LEFT = "left", "留置送达"
    ANNOUNCED = "announced", "公告送达"


# The statutory track still runs: a step of it is due.
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
    }
)
# Accepted and in somebody's hands on the statutory track.
ACTIVE_STATES = frozenset(
    {
        CaseState.ASSIGNED,
        CaseState.HANDLING,
        CaseState.EXTENDED,
        CaseState.REPLIED,
        CaseState.RATED,
        CaseState.REVIEW,
        CaseState.RE_REVIEW,
    }
)
# Procedurally concluded (办结): the opinion is out, or the matter has left for the courts. Not 化解.
CONCLUDED_STATES = frozenset({CaseState.REPLIED, CaseState.RATED, CaseState.CLOSED, CaseState.LEGAL})
# Past assignment, whatever the statutory track says: the campaign's steps (稳控, 化解) apply.
CAMPAIGN_STATES = ACTIVE_STATES | {CaseState.CLOSED, CaseState.LEGAL}
# Where the resolution track is still in hand.
UNRESOLVED = frozenset({Resolution.OPEN, Resolution.STABILIZED, Resolution.SUBMITTED})


class CaseEventType(models.TextChoices):
    REGISTERED = "registered", "登记"
    REPEAT = "repeat", "重复信访"
    REBOUND = "rebound", "化解后反弹"
    ACCEPTED = "accepted", "受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ASSIGNED = "assigned", "交办"
    OBJECTED = "objected", "交办异议"
    PROGRESS = "progress", "办理进展"
    EXTENDED = "extended", "延期"
    HEARING = "hearing", "听证（暂停计时）"
    HEARING_END = "hearing_end", "听证结束（恢复计时）"
    REPLIED = "replied", "出具处理意见书"
    RATED = "rated", "评价"
    REVIEW_REQUESTED = "review_requested", "申请复查"
    RE_REVIEW_REQUESTED = "re_review_requested", "申请复核"
    REVIEW_ANSWERED = "review_answered", "复查答复"
    RE_REVIEW_ANSWERED = "re_review_answered", "复核答复（终结）"
    CLOSED = "closed", "办结终结"
    STABILIZED = "stabilized", "稳控"
    DELIVERED = "delivered", "送达处理意见书"
    TO_LEGAL = "to_legal", "导入法律程序"
    RESOLVE_SUBMITTED = "resolve_submitted", "报送化解"
    VERIFIED = "verified", "对账销号"
    VERIFY_REFUSED = "verify_refused", "销号退回"
    MARKED_PROMINENT = "marked_prominent", "列为突出问题"
    MARKED_MAJOR = "marked_major", "标记特殊重大事项"
    JOINT_OWNER = "joint_owner", "联席会议确定包案领导"
    RESOLVE_BY_CHANGED = "resolve_by_changed", "调整解决时限"
    ATTACHED = "attached", "上传附件"
    NOTICE_SENT = "notice_sent", "发送交办单"
    NOTICE_ACKNOWLEDGED = "notice_acknowledged", "签收交办单"
    RELIEF = "relief", "专项救助"
    TASK_FORCE_SET = "task_force_set", "调整工作专班"
    PLAN_SAVED = "plan_saved", "保存化稳方案"
    MILESTONE_ADDED = "milestone_added", "新增工作节点"
    MILESTONE_DONE = "milestone_done", "工作节点完成"
    MILESTONE_PROGRESS = "milestone_progress", "节点进展"
    THREAT_DISMISSED = "threat_dismissed", "扬言误报"


class Decision(models.TextChoices):
    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释说明"
    REJECT = "reject", "不予支持"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class RatingStatus(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", "待评价"
    RATED = "rated", "已评价"
    OVERDUE = "overdue", "超期未评价"


class ProminentRule(models.TextChoices):
    REPEAT = "repeat", "重复信访"
    COLLECTIVE = "collective", "集体访"
    SKIP_LEVEL = "skip_level", "越级访"
    THREAT = "threat", "扬言"
    BACKLOG = "backlog", "积案（超过办理期限未办结）"
