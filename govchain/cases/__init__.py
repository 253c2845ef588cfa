"""One module per application case (cases.md): each wraps its contract for agencies' systems."""
