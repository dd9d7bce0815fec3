"""The project's form renderer: `{{ form }}` and `{{ form.field.as_field_group }}` render with the
portal's own templates (an error summary, then each field with its label, help and errors
linked by aria-describedby), so pages need no include loops."""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
