from django.db import models

from xinfang.org.choices import CadenceHolder


class MeetingKind(models.TextChoices):
    TASK_FORCE = "task_force", "工作专班会议"
    JOINT = "joint", "信访工作联席会议"
    PARTY_COMMITTEE = "party_committee", "向镇党委会报告"
    OTHER = "other", "其他会议"


# Which meetings count towards a cadence, by who the cadence binds (org.Cadence.held_by): the codes
# and names of the cadences are the town's, the kinds of meeting are ours.
KIND_FOR_HOLDER = {
    CadenceHolder.LEAD_LEADER: MeetingKind.TASK_FORCE,
    CadenceHolder.TOWN: MeetingKind.JOINT,
    CadenceHolder.PARTY_COMMITTEE: MeetingKind.PARTY_COMMITTEE,
}
