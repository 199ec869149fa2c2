"""Load the built-in measures (SWEMWBS, ONS4, UCLA-3, the ONS loneliness question)."""

from django.db import migrations


def load(apps, schema_editor):
    from outcomes.services.measures import sync_builtin_measures

    sync_builtin_measures(apps.get_model("outcomes", "Measure"), apps.get_model("outcomes", "MeasureItem"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
