"""Suppliers' countries stored as typed ("DE", "United States", "USA") get the one name the import and
the supplier form now store ("Germany", "United States of America"). Only a value that names one
country for certain is changed; any other is left as it is. Each change is in the audit log, with the
value it replaces."""

from django.db import migrations

from oretrace.rollup.countries import country_name


def normalise(apps, schema_editor):
    Supplier = apps.get_model("suppliers", "Supplier")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for supplier in Supplier.objects.exclude(country="").only("pk", "key", "name", "country").iterator():
        name = country_name(supplier.country)
        if name and name != supplier.country:
            AuditEntry.objects.create(
                actor_label="system",
                action="supplier.country_normalised",
                object_type="supplier",
                object_id=str(supplier.pk),
                object_label=supplier.name[:300],
                detail=f"{supplier.key}: {supplier.country} → {name}",
            )
            Supplier.objects.filter(pk=supplier.pk).update(country=name)


class Migration(migrations.Migration):
    dependencies = [
        ("suppliers", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
