"""Credit the UCLA-3 to its authors (Hughes et al. 2004), not to the ONS, on databases
that loaded the built-in measures before the wording was corrected.

Frozen: the text is copied here, so later edits to outcomes/builtin.py cannot change
what this step does."""

from django.db import migrations

UCLA3_NAME = "Three-Item Loneliness Scale (UCLA-3)"
UCLA3_CITATION = (
    "Three-Item Loneliness Scale: Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT (2004). "
    "A short scale for measuring loneliness in large surveys. Research on Aging 26(6), "
    "655-672. Derived from the Revised UCLA Loneliness Scale; recommended by the Office "
    "for National Statistics (ONS) for measuring loneliness."
)


def credit(apps, schema_editor):
    Measure = apps.get_model("outcomes", "Measure")
    Measure.objects.filter(code="ucla3").update(name=UCLA3_NAME, notice=UCLA3_CITATION)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0005_geography")]
    operations = [migrations.RunPython(credit, migrations.RunPython.noop)]
