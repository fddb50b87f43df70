"""The learned block classifier: features of a block in its page, labels from gold text,
the host-disjoint split, and the training script (``python -m detector.blocks.train``)."""
