"""Presentation: the storyline (slides), the PPTX and PDF decks, the action plan and downloads."""
