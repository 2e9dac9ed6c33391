"""Input and output: text grammars, column readers and table writers (filled in by the table split)."""
