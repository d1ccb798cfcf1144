"""Worlds shipped with Baton (``demo/``) and the generator that writes the demo world."""
