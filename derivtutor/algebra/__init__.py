"""Mathematics only: the parser (the security boundary), the bounded CAS worker, calculus, derivation steps, answer checking, mistakes, computation graphs and plots."""
