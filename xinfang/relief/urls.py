from django.urls import path

from . import views

# Mounted at the site root: the case page's form posts under the case, the totals live at /relief/.
app_name = "relief"
urlpatterns = [
    path("cases/<int:case_pk>/reliefs/new/", views.relief_add, name="record"),
    path("relief/", views.relief_totals, name="totals"),
    path("relief/export.xlsx", views.relief_export, name="export"),
]
