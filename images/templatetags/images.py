from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", loading="lazy", priority=False, decorative=False):
    """A responsive ``<picture>``: WebP renditions with JPEG fallbacks.

    ``sizes`` tells the browser how wide the image will be drawn, so it fetches
    the smallest rendition that is sharp there. Images above the fold pass
    ``loading=""`` and ``priority=True``; everything else loads lazily. Where
    the text beside the picture already says what it shows (a name next to a
    portrait), ``decorative=True`` gives it an empty alt.
    """
    return {
        "image": image,
        "sizes": sizes,
        "loading": loading,
        "priority": priority,
        "alt": "" if decorative or not image else image.alt,
    }
