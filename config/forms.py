from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form with the portal's field template (labels, help, errors, widgets)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
