"""三到位一处理 may hold more than one finding: the single `judgement` becomes the list `judgements`,
each stored plan keeping the finding it had."""

from django.db import migrations, models


def to_list(apps, schema_editor):
    CasePlan = apps.get_model("plans", "CasePlan")
    for plan in CasePlan.objects.exclude(judgement="").only("pk", "judgement").iterator():
        CasePlan.objects.filter(pk=plan.pk).update(judgements=[plan.judgement])


def to_single(apps, schema_editor):
    # Going back keeps the first finding: the old column holds one.
    CasePlan = apps.get_model("plans", "CasePlan")
    for plan in CasePlan.objects.only("pk", "judgements").iterator():
        CasePlan.objects.filter(pk=plan.pk).update(judgement=(plan.judgements or [""])[0])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_plan_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseplan",
            name="judgements",
            field=models.JSONField(blank=True, default=list, verbose_name="三到位一处理"),
        ),
        migrations.RunPython(to_list, to_single),
        migrations.RemoveField(model_name="caseplan", name="judgement"),
    ]
