"""Indexes for the audit log's search by request id and by address (ADR 0042), built
without blocking the audit table's inserts on PostgreSQL (``AddIndexWithoutLocking``):
the table takes an entry for every record any page shows."""

from django.db import migrations, models

from socialrx.core.schema import AddIndexWithoutLocking


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("core", "0011_encrypt_mfa_secrets"),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="auditevent",
            index=models.Index(
                condition=~models.Q(request_id=""),
                fields=["request_id"],
                name="core_audit_request_id",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(ip_address__isnull=False),
                fields=["ip_address"],
                name="core_audit_ip_address",
            ),
        ),
    ]
