# The calculator RPC sample, for interop tests against other Cap'n Proto
# implementations. Same file ID, names and ordinals as upstream capnproto
# c++/samples/calculator.capnp, so interface and method IDs match.

@0x85150b117366d14b;

interface Calculator {
  evaluate @0 (expression :Expression) -> (value :Value);
  # Result is a capability so it can feed a pipelined follow-up call.

  struct Expression {
    union {
      literal @0 :Float64;
      previousResult @1 :Value;
      parameter @2 :UInt32;
      # Index of an argument; only meaningful inside a defFunction body.
      call :group {
        function @3 :Function;
        params @4 :List(Expression);
      }
    }
  }

  interface Value {
    read @0 () -> (value :Float64);
  }

  defFunction @1 (paramCount :Int32, body :Expression)
              -> (func :Function);

  interface Function {
    call @0 (params :List(Float64)) -> (value :Float64);
  }

  getOperator @2 (op :Operator) -> (func :Function);

  enum Operator {
    add @0;
    subtract @1;
    multiply @2;
    divide @3;
  }
}
