"""Typed modules generated from the schemas the library itself uses.

``schema_capnp`` (``schema.capnp``), ``rpc_capnp`` (``rpc.capnp``),
``rpc_twoparty_capnp``, ``stream_capnp``, ``c___capnp`` (``c++.capnp``),
``byte_stream_capnp``, ``http_over_capnp_capnp`` and ``calculator_capnp``.
Do not edit them: regenerate with ``python -m capnp_lite.codegen.regen``
(a test fails when they drift from the generator).
"""
