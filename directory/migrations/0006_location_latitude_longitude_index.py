"""An index for distance searches: they read the venues in a box around the origin
before they rank by distance (directory.search.nearest_rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_service_name_index_gin_fastupdate_off")]

    operations = [
        migrations.AddIndex(
            model_name="location",
            index=models.Index(
                fields=["latitude", "longitude"], name="directory_l_latitud_cbb802_idx"
            ),
        ),
    ]
