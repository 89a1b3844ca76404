from django.apps import AppConfig


class CerfaConfig(AppConfig):
    name = "cerfa"
    verbose_name = "Contrat d'apprentissage"
