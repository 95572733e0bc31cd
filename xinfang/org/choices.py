from django.db import models


class DepartmentKind(models.TextChoices):
    TOWN = "town", "镇属部门"
    EXTERNAL = "external", "辖区单位"


class VillageKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


class TargetGroup(models.TextChoices):
    THREE_DOWN = "三降", "三降"
    FOUR_UP = "四升", "四升"
    FIVE_NO = "五不", "五不"


class Comparison(models.TextChoices):
    BELOW_LAST_YEAR = "below_last_year", "低于去年同期"
    AT_LEAST = "at_least", "不低于"
    AT_MOST = "at_most", "不高于"
    ZERO = "zero", "为零"


class CadenceHolder(models.TextChoices):
    LEAD_LEADER = "lead_leader", "各包案领导"
    TOWN = "town", "镇"
    PARTY_COMMITTEE = "party_committee", "向镇党委会报告"


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"


class JointMeetingRule(models.TextChoices):
    COLLECTIVE = "collective", "集体访"
    SKIP_LEVEL_COUNTY = "skip_level_county", "越级到县"
    SKIP_LEVEL_CITY = "skip_level_city", "越级到市"
    SKIP_LEVEL_PROVINCE = "skip_level_province", "越级去省"
    SKIP_LEVEL_BEIJING = "skip_level_beijing", "越级进京"
    THREAT = "threat", "扬言"
    MARKED_MAJOR = "marked_major", "联席办标记为重大"
