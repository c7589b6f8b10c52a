from django import forms, template

register = template.Library()


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    return "form-control"


@register.simple_tag
def bootstrap_widget(bound_field):
    """Render a field's widget with Bootstrap's classes and its error state."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", ""), _widget_class(widget)]
    if bound_field.errors:
        classes.append("is-invalid")
    return bound_field.as_widget(attrs={"class": " ".join(c for c in classes if c)})
