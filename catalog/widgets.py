"""Admin widgets for the catalog's models."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selected option from `labels`, which its
    formset fills for every row at once: Django's widget asks the database once
    per row, which is 300 queries for a film with 300 credits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels: dict[str, str] = {}  # shared by each row's copy

    def optgroups(self, name, value, attr=None):
        selected = [v for v in value if v not in self.choices.field.empty_values]
        if not all(pk in self.labels for pk in selected):
            return super().optgroups(name, value, attr)
        options = (
            []
            if self.is_required or self.allow_multiple_selected
            else [self.create_option(name, "", "", False, 0)]
        )
        for pk in selected:
            options.append(
                self.create_option(name, pk, self.labels[pk], True, len(options))
            )
        return [(None, options, 0)]


class LabelledAutocompleteSelectMultiple(
    LabelledAutocompleteSelect, forms.SelectMultiple
):
    """The same for a many-to-many field (the people in a still)."""
