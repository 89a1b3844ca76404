from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cerfa.stats"
    label = "stats"
    verbose_name = "Statistiques d'usage (totaux par jour)"
