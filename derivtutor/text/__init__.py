"""Words and text: language choice, message records, markup spans, command words, the glossary, control characters, line breaking and caps. No SymPy, no terminal."""
