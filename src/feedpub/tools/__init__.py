"""`feedpub init` and `feedpub validate`: beside the pipeline, importing neither its readers nor feedgen."""
