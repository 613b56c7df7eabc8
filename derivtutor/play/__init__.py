"""Free play: bring your own function; a conversation with the same contract as a lesson."""
