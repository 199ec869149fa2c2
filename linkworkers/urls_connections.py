"""Routes for onward connections and the VCSE side of the loop (the connections work)."""

urlpatterns: list = []
