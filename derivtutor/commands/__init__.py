"""Entry points: argparse commands, one module per command group; everything imported lazily."""
