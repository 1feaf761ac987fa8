"""A minimal Thrift compact-protocol reader, to walk the page headers of a column chunk in the
interop scripts. It is independent of the Swift implementation under test (and of the
libraries' internals)."""


class CompactReader:
    """Reads compact-protocol values from `data`, starting at byte `position`."""

    def __init__(self, data, position):
        self.data = data
        self.position = position

    def byte(self):
        value = self.data[self.position]
        self.position += 1
        return value

    def varint(self):
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return result

    def zigzag(self):
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def struct(self):
        """Reads a struct into {field id: value}; nested structs become dicts."""
        fields, last = {}, 0
        while True:
            header = self.byte()
            kind = header & 0x0F
            if kind == 0:
                return fields
            delta = header >> 4
            last = last + delta if delta else self.zigzag()
            fields[last] = self.value(kind)

    def value(self, kind):
        """One value of compact type `kind`: bools, ints, binary as bytes, lists and sets as
        lists, maps as lists of pairs, structs as dicts; doubles are skipped (None)."""
        if kind in (1, 2):
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.position += 8
            return None
        if kind == 8:
            length = self.varint()
            self.position += length
            return self.data[self.position - length:self.position]
        if kind in (9, 10):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.byte() == 1 if element in (1, 2) else self.value(element) for _ in range(size)]
        if kind == 11:
            size = self.varint()
            types = self.byte() if size else 0
            return [(self.value(types >> 4), self.value(types & 0x0F)) for _ in range(size)]
        if kind == 12:
            return self.struct()
        raise ValueError(f"unknown Thrift compact type {kind} at byte {self.position}")
