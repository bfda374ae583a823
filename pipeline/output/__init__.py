"""Where results go: claims-doc/1 JSON files and databases."""
