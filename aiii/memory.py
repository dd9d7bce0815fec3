"""A bounded map in this process's memory that forgets the least recently used entry first."""

import threading
from collections import OrderedDict


class Memory:
    def __init__(self, size):
        self.size = size
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
            self.parts[key] = value
            self.parts.move_to_end(key)
            while len(self.parts) > self.size:
                self.parts.popitem(last=False)

    def clear(self):
        with self.lock:
            self.parts.clear()
