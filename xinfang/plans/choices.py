from django.db import models


class Judgement(models.TextChoices):
    """三到位一处理: what the claim is judged to be, and what the town then owes the petitioner."""

    REASONABLE = "reasonable", "诉求合理→解决到位"
    UNREASONABLE = "unreasonable", "诉求无理→教育到位"
    HARDSHIP = "hardship", "生活困难→帮扶到位"
    UNLAWFUL = "unlawful", "违法行为→依法处理"


def judgements_clean(values) -> list[str]:
    """The findings of 三到位一处理 in the order of the choices, each once; unknown ones raise
    ValueError naming them. A claim may have several findings: an unreasonable claim from someone in
    hardship is both 教育到位 and 帮扶到位."""
    if values is None:
        values = []
    if isinstance(values, str):
        values = [values]
    chosen = {str(v).strip() for v in values if str(v).strip()}
    if unknown := sorted(chosen - set(Judgement.values)):
        raise ValueError("、".join(f"“{v}”" for v in unknown))
    return [v for v in Judgement.values if v in chosen]


# What follows from each judgement, shown beside the choice.
JUDGEMENT_HINTS = {
    Judgement.REASONABLE: "诉求合理的，依法依规解决到位，明确解决的办法、责任人和时间。",
    Judgement.UNREASONABLE: "诉求无理的，做好政策解释和思想疏导，教育到位，防止缠访闹访。",
    Judgement.HARDSHIP: "生活确有困难的，落实专项救助、社会救济等措施，帮扶到位。",
    Judgement.UNLAWFUL: "以信访为名实施违法行为的，依法依规处理。",
}

# The five haves (五有), in the order the plan names them: key, Chinese name, where the case page
# fills it in.
FIVE_HAVES = [
    ("lead_leader", "包案领导", "ownership"),
    ("task_force", "工作专班", "plan-task-force"),
    ("plan", "化稳方案", "plan-plan"),
    ("deadline", "解决时限", "ownership"),
    ("rebound_measures", "防反弹措施", "plan-plan"),
]
FIVE_HAVE_NAMES = {key: name for key, name, _ in FIVE_HAVES}
