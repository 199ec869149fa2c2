from django.urls import path

from socialrx.core.api_tokens import views

urlpatterns = [
    path("accounts/api-tokens/", views.token_list, name="api_tokens"),
    path("accounts/api-tokens/new/", views.token_new, name="api_token_new"),
    path("accounts/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
