"""Pilot tests: screens, forms and widgets driven by key presses, their state asserted."""
