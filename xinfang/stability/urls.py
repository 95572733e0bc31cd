from django.urls import path

from . import views

# Mounted under /stability/.
app_name = "stability"
urlpatterns = [
    path("key-persons/", views.key_person_list, name="key-persons"),
    path("key-persons/new/", views.key_person_new, name="key-person-new"),
    path("key-persons/<int:pk>/", views.key_person_detail, name="key-person"),
    path("key-persons/<int:pk>/contact/", views.contact_new, name="contact"),
    path("alarms/<int:pk>/step/", views.alarm_step_post, name="alarm-step"),
    path("periods/", views.period_list, name="periods"),
    path("periods/<int:pk>/", views.period_board, name="period"),
    path("periods/<int:pk>/stay/<int:kp>/", views.stay_post, name="stay"),
    path("periods/<int:pk>/report/", views.report_post, name="report"),
    path("periods/<int:pk>/registration/", views.registration_post, name="registration"),
    path("incidents/", views.incident_list, name="incidents"),
    path("follow-ups/", views.follow_up_list, name="follow-ups"),
    path("follow-ups/<int:pk>/", views.follow_up_post, name="follow-up"),
]
