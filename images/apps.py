from django.apps import AppConfig, apps
from django.core.signals import request_finished
from django.db.models.signals import post_delete


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self):
        from .files import delete_rolled_back
        from .models import Picture, delete_files_after_commit

        request_finished.connect(delete_rolled_back, dispatch_uid="images-rollback")

        for model in apps.get_models():
            if issubclass(model, Picture):
                post_delete.connect(
                    delete_files_after_commit,
                    sender=model,
                    dispatch_uid=f"images-delete-{model._meta.label_lower}",
                )
