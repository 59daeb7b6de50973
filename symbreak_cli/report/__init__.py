"""Reports: pydantic models (the JSON schemas), renderer-neutral sections, rich/Markdown/HTML renderers, plots."""
