from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

PICTURE = (
    '<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
    '<img src="{src}" srcset="{jpeg}" sizes="{sizes}" width="{width}" '
    'height="{height}" alt="{alt}"{loading} decoding="async"{priority}></picture>'
)


@register.simple_tag
def picture(
    image, sizes="100vw", loading="lazy", priority=False, decorative=False
) -> SafeString | str:
    """A responsive ``<picture>``: WebP renditions with JPEG fallbacks, or
    nothing for a picture whose renditions are not ready.

    ``sizes`` tells the browser how wide the image will be drawn, so it fetches
    the smallest rendition that is sharp there. Images above the fold pass
    ``loading=""`` and ``priority=True``; everything else loads lazily. Where
    the text beside the picture already says what it shows (a name next to a
    portrait), ``decorative=True`` gives it an empty alt.

    Built here rather than in a template: a page shows a dozen pictures, and
    each is two lists of rendition URLs.
    """
    if not getattr(image, "is_ready", False):
        return ""
    return format_html(
        PICTURE,
        webp=image.webp_srcset,
        sizes=sizes,
        src=image.fallback_url,
        jpeg=image.jpeg_srcset,
        width=image.width,
        height=image.height,
        alt="" if decorative else image.alt,
        loading=format_html(' loading="{}"', loading) if loading else "",
        priority=mark_safe(' fetchpriority="high"') if priority else "",
    )
