from django.db import migrations

from xinfang.audit import guard


def install(apps, schema_editor):
    guard.install(schema_editor)


def uninstall(apps, schema_editor):
    guard.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
