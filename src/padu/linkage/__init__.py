"""Record linkage (pencocokan data): Django-free engine in ``padu.linkage.engine``."""
