"""The pure core: task model, parser, renderer, identity and three-way merge. No IO here."""
