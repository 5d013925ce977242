from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="thread",
            name="status",
            field=models.CharField(
                choices=[
                    ("waiting_agency", "Waiting for the agency"),
                    ("owed", "We owe you"),
                    ("waiting_client", "Waiting for the client"),
                    ("resolved", "Resolved"),
                ],
                default="waiting_agency",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="message",
            name="kind",
            field=models.CharField(
                choices=[
                    ("question", "Question"),
                    ("answer", "Answer"),
                    ("note", "Internal note"),
                    ("reopened", "I still have questions"),
                    ("resolved", "This solved it"),
                    ("waiting_client", "Waiting for the client"),
                    ("waiting_agency", "Waiting for the agency"),
                    ("rating", "Rating"),
                    ("delivered", "Promise delivered"),
                ],
                max_length=16,
            ),
        ),
    ]
