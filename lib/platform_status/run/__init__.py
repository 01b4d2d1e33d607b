"""One publish run: read the sources, advance the history, decide the document, write the files; and the
scheduled run around it (alerts, heartbeat). The override function republishes through here too."""
