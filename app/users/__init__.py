"""People: admins and managers list, create, change, deactivate and import users; teams and who leads them."""
