from django.contrib.contenttypes.models import ContentType


def remember_slug(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a save, note the slug the row has in the database (not for a
    save that leaves the slug alone)."""
    leaves_slug = update_fields is not None and "slug" not in update_fields
    if raw or instance.pk is None or leaves_slug:
        instance._slug_before_save = None
        return
    instance._slug_before_save = (
        sender._base_manager.filter(pk=instance.pk)
        .values_list("slug", flat=True)
        .first()
    )


def record_old_slug(sender, instance, created, raw=False, **kwargs):
    from .models import OldSlug

    old = getattr(instance, "_slug_before_save", None)
    if raw or created or not old or old == instance.slug:
        return
    content_type = ContentType.objects.get_for_model(sender)
    # The current slug no longer leads elsewhere (the object took it back, or
    # it had been another object's), and the old one now leads here.
    OldSlug.objects.filter(content_type=content_type, slug=instance.slug).delete()
    OldSlug.objects.update_or_create(
        content_type=content_type,
        slug=old,
        defaults={"object_id": instance.pk},
    )


def forget_old_slugs(sender, instance, **kwargs):
    from .models import OldSlug

    OldSlug.objects.filter(
        content_type=ContentType.objects.get_for_model(sender),
        object_id=instance.pk,
    ).delete()
