# C++ code generator annotations. Other schemas reference these, so they
# must exist with upstream's IDs (capnproto c++/src/capnp/c++.capnp, 1.x).

@0xbdf87d7bb8304e81;

$namespace("capnp::annotations");

annotation namespace(file): Text;

annotation name(field, enumerant, struct, enum, interface, method, param, group, union): Text;

annotation allowCancellation(interface, method, file) :Void;
