from django.db import migrations

from xinfang.audit import guard


def install(apps, schema_editor):
    guard.install_no_replace(schema_editor)


def uninstall(apps, schema_editor):
    guard.uninstall_no_replace(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_guard")]

    operations = [migrations.RunPython(install, uninstall)]
