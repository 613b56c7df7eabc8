"""The lab console: the labs' cells typed line by line, with the tutor's notes beside them."""
