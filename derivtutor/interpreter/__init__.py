"""The labs' Python, parsed with ast and run by a whitelist interpreter: never evaluated."""
