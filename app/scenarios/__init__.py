"""The scenario library: built-in YAML scenarios plus team scenarios authored in the app, one lookup for all."""
