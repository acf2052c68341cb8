"""The segmentation engine: read customer CSV bytes, segment, name personas, rank, plot."""
