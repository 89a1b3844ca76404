"""Views: thin. They wire requests to rules/ and cerfa/pdf, and decide nothing."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html", {"title": "Accueil"})
