from django.db import models


class ReliefKind(models.TextChoices):
    TEMPORARY = "temporary", "临时救助"
    SUBSISTENCE = "subsistence", "低保"
    DESTITUTE = "destitute", "特困供养"
    MEDICAL = "medical", "医疗救助"
    EDUCATION = "education", "教育救助"
    HOUSING = "housing", "住房救助"
    JUDICIAL = "judicial", "司法救助"
    OTHER = "other", "其他社会救济"


class PeriodKind(models.TextChoices):
    MONTH = "month", "月"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年"
