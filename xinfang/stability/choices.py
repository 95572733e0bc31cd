from django.db import models


class KeyPersonStatus(models.TextChoices):
    IN_CONTROL = "in_control", "在控"
    AWAY = "away", "外出"
    LOST = "lost", "失联"
    STABLE = "stable", "已稳定"
    REVOKED = "revoked", "撤销"


# Key persons still kept: counted for contacts, boards and the stability rate.
KEPT = frozenset({KeyPersonStatus.IN_CONTROL, KeyPersonStatus.AWAY, KeyPersonStatus.LOST})


class KeeperDuty(models.TextChoices):
    """包保: who keeps a key person."""

    LEADER = "leader", "包保领导"
    CADRE = "cadre", "村（居）干部"
    GRID = "grid", "网格员"
    POLICE = "police", "民警（警信联动）"
    OTHER = "other", "其他"


class ContactWay(models.TextChoices):
    IN_PERSON = "in_person", "当面"
    PHONE = "phone", "电话"
    VIDEO = "video", "视频"


class FoundStatus(models.TextChoices):
    HOME = "home", "在家"
    AWAY = "away", "外出"
    LOST = "lost", "失联"
    ABNORMAL = "abnormal", "异常"


# Found so, the key person's owner, the office and the police liaison hear of it at once.
ALARMING = frozenset({FoundStatus.LOST, FoundStatus.ABNORMAL})


class PeriodLevel(models.TextChoices):
    NATIONAL = "national", "全国性重大活动、敏感节点"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县（市）级"


class RegistrationLevel(models.TextChoices):
    """Where a key person was registered (登记) during a period: any of them breaks 零登记."""

    COUNTY = "county", "县（市）"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    NATIONAL = "national", "国家（京）"


class IncidentKind(models.TextChoices):
    """五不 and 五个不发生."""

    BEIJING_INDIVIDUAL = "beijing_individual", "进京个访"
    BEIJING_COLLECTIVE = "beijing_collective", "进京集访"
    PROVINCE_INDIVIDUAL = "province_individual", "去省个访"
    PROVINCE_COLLECTIVE = "province_collective", "去省集访"
    CITY_COLLECTIVE_50 = "city_collective_50", "50人以上到市集访"
    PROVINCE_REPEAT_COLLECTIVE = "province_repeat_collective", "重复去省集访"
    PROVINCE_COLLECTIVE_20 = "province_collective_20", "20人以上去省集访"
    EXTREME = "extreme", "涉访个人极端事件"
    MEDIA_HYPE = "media_hype", "负面炒作"
    REBOUND = "rebound", "已停诉息访人员反弹"
    KP_LEAVE = "kp_leave", "重点人员“走”（擅自外出上访）"
    KP_DISTURB = "kp_disturb", "重点人员“闹”（聚集、缠访闹访）"
    KP_WRITE = "kp_write", "重点人员“写”（越级写信、网上发帖）"
    REGISTRATION = "registration", "保障期内被登记"


class IncidentLevel(models.TextChoices):
    """The highest level the incident reached."""

    TOWN = "town", "镇"
    COUNTY = "county", "县（市）"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    NATIONAL = "national", "国家（京）"


class WatchStatus(models.TextChoices):
    ACTIVE = "active", "回访中"
    ENDED = "ended", "回访期满"
    REBOUNDED = "rebounded", "已反弹"


class PetitionerState(models.TextChoices):
    """What a follow-up (回访) found."""

    STABLE = "stable", "稳定，无信访意向"
    WAVERING = "wavering", "有反复苗头"
    PETITIONING = "petitioning", "已再次信访"
    UNREACHABLE = "unreachable", "联系不上"
