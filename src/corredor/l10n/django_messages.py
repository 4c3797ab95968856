"""Django's own form messages that officers meet at the desk and in the forms, marked here for the project
catalog: Django ships no Haitian Creole, and without these a Kreyòl reader would get them in Spanish
(LANGUAGE_CODE, Django's fallback). The project catalog is searched first, so the Spanish and French
entries of the same messages must say what Django's own say.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("The submitted file is empty."),
)
