"""The one table: how many times something happened on a day, and nothing else."""

from django.db import models


class DailyCount(models.Model):
    """One counter's total for one day (Europe/Paris). No identifier, no time of day."""

    day = models.DateField()
    # A name from the code (cerfa/stats/names.py), never a value the user typed.
    name = models.CharField(max_length=100)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "name"], name="stats_one_count_per_day")
        ]
        ordering = ["day", "name"]

    def __str__(self) -> str:
        return f"{self.day} {self.name} = {self.value}"
