"""Server-rendered pages (Jinja2 + htmx): Chinese first, English second."""
