"""Load every Kemendagri region code, then the installation's boundaries (settings.REGION_CODE).

``migrate`` alone therefore gives a complete region table (the test database included).
Both loaders are idempotent; ``padu wilayah load`` / ``padu wilayah boundaries`` re-run them.
"""

from django.db import migrations


def load(apps, schema_editor):
    from padu.wilayah import services

    using = schema_editor.connection.alias
    region = apps.get_model("wilayah", "Region")
    boundary = apps.get_model("wilayah", "Boundary")
    services.load_regions(region, using=using)
    services.load_boundaries(region_model=region, boundary_model=boundary, using=using)


def unload(apps, schema_editor):
    # Plain DELETEs: the ORM would refuse (Region.parent is PROTECT) and be slow at this size.
    qn = schema_editor.connection.ops.quote_name
    for model in ("Boundary", "Region"):
        table = apps.get_model("wilayah", model)._meta.db_table
        schema_editor.execute(f"DELETE FROM {qn(table)}")


class Migration(migrations.Migration):

    dependencies = [
        ("wilayah", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
