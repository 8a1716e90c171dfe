"""Drills: role-play practice assigned by managers, with attempts, results and reviews."""
