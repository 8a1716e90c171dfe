"""The manager's team at work: what needs their action today (the to-do list)."""
