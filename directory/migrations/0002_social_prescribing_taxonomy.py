"""Every deployment starts with the social prescribing vocabularies."""

from django.db import migrations


def forwards(apps, schema_editor):
    from directory.taxonomy import taxonomy_ensure

    taxonomy_ensure(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
