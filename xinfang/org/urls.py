from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("towns/", views.town_list, name="towns"),
    path("villages/", views.village_list, name="villages"),
    path("villages/<int:pk>/", views.village_detail, name="village"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("categories/", views.category_list, name="categories"),
    path("leaders/", views.leader_list, name="leaders"),
    path("config/", views.town_config, name="config"),
    path("people/<int:pk>/phone/", views.person_phone, name="person-phone"),
]
