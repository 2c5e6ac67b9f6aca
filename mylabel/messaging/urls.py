from django.urls import path

from mylabel.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation_detail, name="conversation"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("with/artist/<slug:slug>/", views.message_artist, name="message-artist"),
    path("with/professional/<slug:slug>/", views.message_associate, name="message-associate"),
    path("booking/<int:pk>/", views.booking_conversation, name="booking"),
]
