"""Posting an admin change form back as a browser would."""

from django import forms


def _add(data: dict, form) -> None:
    for bound in form:
        widget = bound.field.widget
        if bound.field.disabled or isinstance(widget, forms.FileInput):
            continue  # a file input posts nothing when no file is chosen
        value = bound.value()
        if isinstance(widget, forms.MultiWidget):
            parts = (
                value if isinstance(value, list | tuple) else widget.decompress(value)
            )
            for n, part in enumerate(parts):
                data[f"{bound.html_name}_{n}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)


def posted_back(response, **changes) -> dict:
    """The POST data of the change form in `response`, with `changes`."""
    data: dict = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _add(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add(data, form)
    data.update(changes)
    return data
