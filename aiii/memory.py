"""A bounded map in this process's memory that forgets the least recently used entry first.

Bounded twice: by the number of entries and, for text values (pages, parts of pages), by their
total length, so that a few very long pages (a thread of long posts) cannot grow a worker's
memory past what the entry count suggests.
"""

import threading
from collections import OrderedDict


def _length(value):
    return len(value) if isinstance(value, str) else 0


class Memory:
    def __init__(self, size, *, max_chars=None):
        self.size = size
        self.max_chars = max_chars
        self.chars = 0
        self.lock = threading.Lock()
        self.parts = OrderedDict()

    def get(self, key):
        with self.lock:
            value = self.parts.get(key)
            if value is not None:
                self.parts.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.chars -= _length(self.parts.pop(key, None))
            self.parts[key] = value
            self.chars += _length(value)
            while self.parts and (
                len(self.parts) > self.size
                or (self.max_chars is not None and self.chars > self.max_chars)
            ):
                _key, forgotten = self.parts.popitem(last=False)
                self.chars -= _length(forgotten)

    def clear(self):
        with self.lock:
            self.parts.clear()
            self.chars = 0
