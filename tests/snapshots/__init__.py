"""SVG snapshots of each screen at a fixed size with today frozen."""
