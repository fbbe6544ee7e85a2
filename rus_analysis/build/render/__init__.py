"""Rendering the executed chapters into the PDF and HTML report (Quarto or built-in)."""
