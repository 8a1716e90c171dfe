"""The sales pipeline's rules shared by its pages, the API and the managers' to-do list."""
