"""How written sheets look: styles and text widths."""
