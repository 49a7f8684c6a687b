from django.db import migrations, models


class Migration(migrations.Migration):
    """Who runs a scan and when it last showed signs of life: a lost worker is noticed in a minute."""

    dependencies = [("web", "0002_waivers")]

    operations = [
        migrations.AddField(model_name="scan", name="claimed_by", field=models.CharField(blank=True, max_length=255)),
        migrations.AddField(model_name="scan", name="heartbeat_at", field=models.DateTimeField(blank=True, null=True)),
    ]
