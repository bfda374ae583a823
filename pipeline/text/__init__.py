"""Text → normalized text (with an offset map) → tokens → sentences."""
