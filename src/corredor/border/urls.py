from django.urls import path

from corredor.border import views

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/scan/", views.desk_scan, name="desk-scan"),
    path("desk/manual/", views.desk_manual, name="desk-manual"),
    path("desk/record/", views.desk_record, name="desk-record"),
    path("desk/allowance/", views.desk_allowance, name="desk-allowance"),
    path("travellers/", views.traveller_search, name="traveller-search"),
    path("travellers/<uuid:traveller_id>/", views.traveller_page, name="traveller"),
    path("crossings/<uuid:crossing_id>/correct/", views.crossing_correct, name="crossing-correct"),
    path("post/day/", views.post_day, name="post-day"),
    path("overstays/", views.overstay_list, name="overstays"),
]
