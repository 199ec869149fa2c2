"""Services confirmed "still accurate" stored the staff member's sign-in email as the
assurer, which the public Open Referral feed publishes. Any assurer email that is some
user's email becomes the organisation's public contact (or nothing if it has none)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower


def forwards(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    User = apps.get_model("core", "User")
    DirectoryOrganisation = apps.get_model("directory", "DirectoryOrganisation")
    staff_emails = User.objects.exclude(email="").annotate(lower=Lower("email")).values("lower")
    leaked = Service.objects.annotate(lower=Lower("assurer_email")).filter(lower__in=staff_emails)
    public = DirectoryOrganisation.objects.filter(pk=OuterRef("organization_id")).values("email")
    leaked.update(assurer_email=Subquery(public[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_eligibility_and_postcode_areas"),
        ("core", "0006_audit_sign_in_actions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
