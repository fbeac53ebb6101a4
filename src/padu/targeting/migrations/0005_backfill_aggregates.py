"""Backfill the per-run aggregates (0004) for the runs made before them, so an upgraded installation's
dashboard and history show its earlier periods instead of zeros."""

from django.db import migrations


def backfill(apps, schema_editor):
    Finding = apps.get_model("targeting", "Finding")
    FindingAggregate = apps.get_model("targeting", "FindingAggregate")
    TargetingRun = apps.get_model("targeting", "TargetingRun")
    findings = Finding._meta.db_table
    aggregates = FindingAggregate._meta.db_table
    dims = "finding_type, category, programme_id, kelurahan_code, desil, strategy"
    periods = Finding.objects.values_list("period", flat=True).distinct()
    for period in list(periods):
        if FindingAggregate.objects.filter(period=period).exists():
            continue
        run = TargetingRun.objects.filter(period=period, status="done").order_by("-id").first()
        if run is None:
            continue
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {aggregates} (run_id, period, {dims}, n, rupiah_month, rupiah_year)"
                f" SELECT %s, period, {dims}, COUNT(*), COALESCE(SUM(rupiah_month), 0),"
                f" COALESCE(SUM(rupiah_year), 0) FROM {findings} WHERE period = %s"
                f" GROUP BY period, {dims}",
                [run.pk, period],
            )


class Migration(migrations.Migration):
    dependencies = [("targeting", "0004_finding_aggregate")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
