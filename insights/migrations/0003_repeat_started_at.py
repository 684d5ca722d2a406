"""Repeat incidents keep their incident's start, so the dashboard sorts and filters them without joining incidents."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_started_at(apps, schema_editor):
    RepeatIncident = apps.get_model("insights", "RepeatIncident")
    Incident = apps.get_model("incidents", "Incident")
    RepeatIncident.objects.update(
        started_at=Subquery(Incident.objects.filter(pk=OuterRef("incident_id")).values("started_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0008_hidden_incident_indexes"),
        ("insights", "0002_slo_status"),
    ]

    operations = [
        migrations.AddField(model_name="repeatincident", name="started_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(copy_started_at, migrations.RunPython.noop),
        migrations.AlterField(model_name="repeatincident", name="started_at", field=models.DateTimeField()),
        migrations.AlterModelOptions(
            name="repeatincident", options={"ordering": ["-started_at", "-incident_id", "service_id"]}
        ),
        migrations.AddIndex(
            model_name="repeatincident",
            index=models.Index(
                fields=["scope", "-started_at", "-incident", "service"], name="repeat_scope_newest"
            ),
        ),
    ]
