from django.db import models


class CaseNumberSequence(models.Model):
    """The last case number given out in one town and year.

    Numbers are taken inside the transaction that registers the case, so a registration that fails
    gives its number back: numbers stay gap-free.
    """

    town = models.ForeignKey("org.Town", on_delete=models.CASCADE, related_name="+", verbose_name="镇")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = "信访事项编号"
        verbose_name_plural = "信访事项编号"
        constraints = [models.UniqueConstraint(fields=["town", "year"], name="case_number_sequence_unique")]

    def __str__(self):
        return f"{self.town} {self.year} 年已编至 {self.last} 号"
