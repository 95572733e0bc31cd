from django.urls import path

from . import views

# Mounted under /scoring/.
app_name = "scoring"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("ranking.xlsx", views.ranking_export, name="export"),
    path("facts/<str:kind>/<int:unit_id>/<str:key>/", views.facts, name="facts"),
    path("accountability/", views.accountability_list, name="accountability"),
]
