from django.conf import settings


def site(request) -> dict[str, str]:
    """The magazine's name, for every template (from the SITE_NAME setting)."""
    return {"site_name": settings.SITE_NAME}
