from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def staff_second_factor(app_configs, **kwargs) -> list[Warning]:
    """`check --deploy` warns while staff can use the admin with a password alone."""
    if settings.STAFF_2FA_REQUIRED:
        return []
    return [
        Warning(
            "DJANGO_STAFF_2FA_REQUIRED is off: staff who have not set up an "
            "authenticator reach the admin with a password alone.",
            hint="Set DJANGO_STAFF_2FA_REQUIRED=true in production.",
            id="filmsite.W001",
        )
    ]
