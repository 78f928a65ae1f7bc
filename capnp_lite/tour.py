"""``python -m capnp_lite tour``: a short walk through the library on a bundled schema.

It compiles a schema from source text (no ``capnp`` binary involved), builds a
message with the pycapnp-style dynamic API, serialises it framed and packed,
reads it back, prints it in the text format and shows the raw words.
"""

from __future__ import annotations

import sys
from typing import List

from .dynamic import load_request
from .schema import compile_source
from .wire.framing import decode_message

ADDRESSBOOK = """
@0x9eb32e19f86ee174;

struct Person {
  id @0 :UInt32;
  name @1 :Text;
  email @2 :Text;
  phones @3 :List(PhoneNumber);
  struct PhoneNumber {
    number @0 :Text;
    type @1 :Type;
    enum Type { mobile @0; home @1; work @2; }
  }
  employment :union {
    unemployed @4 :Void;
    employer @5 :Text;
    school @6 :Text;
    selfEmployed @7 :Void;
  }
}

struct AddressBook {
  people @0 :List(Person);
}
"""


def main(argv: List[str]) -> int:
    out = sys.stdout.write
    request = compile_source(ADDRESSBOOK, "addressbook.capnp")
    out(f"compiled addressbook.capnp: {len(request.nodes)} nodes\n")
    for node in request.nodes:
        out(f"  {node.id:#018x}  {node.which:<9} {node.display_name}\n")
    book = load_request(request)

    message = book.AddressBook.new_message()
    people = message.init("people", 2)
    alice = people[0]
    alice.id = 123
    alice.name = "Alice"
    alice.email = "alice@example.com"
    phones = alice.init("phones", 1)
    phones[0].number = "555-1212"
    phones[0].type = "mobile"
    alice.employment.school = "MIT"
    bob = people[1]
    bob.id = 456
    bob.name = "Bob"
    bob.email = "bob@example.com"
    bob.employment.unemployed = None

    framed = message.to_bytes()
    packed = message.to_bytes_packed()
    out(f"\nframed: {len(framed)} bytes; packed: {len(packed)} bytes\n")
    with book.AddressBook.from_bytes(framed) as reader:
        out(f"text format:\n{reader}\n")
        for person in reader.people:
            out(f"  {person.name} <{person.email}> {person.employment.which()}\n")
    segments = decode_message(framed)
    out(f"\nsegments: {[len(s) // 8 for s in segments]} words\n")
    words = bytes(segments[0])
    for i in range(0, min(len(words), 8 * 6), 8):
        out(f"  word {i // 8:3}: {words[i:i + 8].hex(' ')}\n")
    out("\nnext: python -m capnp_lite inspect FILE (x-ray), decode/encode (text format)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
