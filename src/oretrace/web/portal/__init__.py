"""The supplier portal: the pages behind a supplier's personal link, in English and Simplified Chinese."""
