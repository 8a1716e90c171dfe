"""Coaching logic: SPIN question classification and sales-intensity scoring."""
