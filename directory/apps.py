from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = "Community asset directory"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from directory.models import DirectoryOrganisation, Service, listings_changed
        from directory.taxonomy import terms_request_finished, terms_request_started
        from socialrx.core.models import Role
        from socialrx.core.workspaces import register_public_entry, register_workspace

        # What is published changes with a service or its organisation (its approval).
        for model in (Service, DirectoryOrganisation):
            post_save.connect(listings_changed, sender=model, dispatch_uid=f"{model}-saved")
            post_delete.connect(listings_changed, sender=model, dispatch_uid=f"{model}-deleted")
        # The taxonomy's terms are read once a request (directory.taxonomy).
        request_started.connect(terms_request_started, dispatch_uid="directory-terms-started")
        request_finished.connect(terms_request_finished, dispatch_uid="directory-terms-finished")
        register_public_entry(
            title="Find local support",
            url_name="directory:search",
            description="Search the directory of community groups, activities and services.",
        )
        register_workspace(
            role=Role.VCSE_EDITOR,
            title="Your listings",
            url_name="directory:my_listings",
            description="Confirm your services are accurate and update their capacity.",
        )
        register_workspace(
            role=Role.DIRECTORY_ADMIN,
            title="Directory review queue",
            url_name="directory:review_queue",
            description="Stale and recently changed listings, and organisations to approve.",
        )
        # Everyone who works with people searches the directory.
        for role in (
            Role.REFERRER,
            Role.LINK_WORKER,
            Role.TRIAGE_LEAD,
            Role.VCSE_EDITOR,
            Role.DIRECTORY_ADMIN,
            Role.SERVICE_MANAGER,
        ):
            register_workspace(
                role=role,
                title="Search the directory",
                url_name="directory:search",
                description="Find community services by need, place and capacity.",
            )
