"""Many supplier files into one picture: smelters per metal, suppliers, findings."""
