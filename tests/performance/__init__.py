"""Performance: query counts per page and the caches that keep pages cheap."""
