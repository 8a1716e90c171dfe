"""Sales Coach: an interactive sales-coaching service."""
