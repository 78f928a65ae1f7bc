"""The declarations of ``capnp/schema.capnp`` (IDs, names, ordinals and types only).

:mod:`.binary` compiles this text with our own compiler to learn where every
field of a ``CodeGeneratorRequest`` lives, so the encoder and decoder share
the layout the compiler computes (and that the tests check against the
reference compiler) instead of a second, hand-written table.
"""

from __future__ import annotations

__all__ = ["SCHEMA_CAPNP"]

SCHEMA_CAPNP = """\
@0xa93fc509624c72d9;
using Id = UInt64;
struct Node {
  id @0 :Id;
  displayName @1 :Text;
  displayNamePrefixLength @2 :UInt32;
  scopeId @3 :Id;
  parameters @32 :List(Parameter);
  isGeneric @33 :Bool;
  struct Parameter {
    name @0 :Text;
  }
  nestedNodes @4 :List(NestedNode);
  struct NestedNode {
    name @0 :Text;
    id @1 :Id;
  }
  annotations @5 :List(Annotation);
  union {
    file @6 :Void;
    struct :group {
      dataWordCount @7 :UInt16;
      pointerCount @8 :UInt16;
      preferredListEncoding @9 :ElementSize;
      isGroup @10 :Bool;
      discriminantCount @11 :UInt16;
      discriminantOffset @12 :UInt32;
      fields @13 :List(Field);
    }
    enum :group {
      enumerants@14 :List(Enumerant);
    }
    interface :group {
      methods @15 :List(Method);
      superclasses @31 :List(Superclass);
    }
    const :group {
      type @16 :Type;
      value @17 :Value;
    }
    annotation :group {
      type @18 :Type;
      targetsFile @19 :Bool;
      targetsConst @20 :Bool;
      targetsEnum @21 :Bool;
      targetsEnumerant @22 :Bool;
      targetsStruct @23 :Bool;
      targetsField @24 :Bool;
      targetsUnion @25 :Bool;
      targetsGroup @26 :Bool;
      targetsInterface @27 :Bool;
      targetsMethod @28 :Bool;
      targetsParam @29 :Bool;
      targetsAnnotation @30 :Bool;
    }
  }
  startByte @34 :UInt32;
  endByte @35 :UInt32;
  struct SourceInfo {
    id @0 :Id;
    docComment @1 :Text;
    members @2 :List(Member);
    struct Member {
      docComment @0 :Text;
    }
    startByte @3 :UInt32;
    endByte @4 :UInt32;
  }
}
struct Field {
  name @0 :Text;
  codeOrder @1 :UInt16;
  annotations @2 :List(Annotation);
  const noDiscriminant :UInt16 = 0xffff;
  discriminantValue @3 :UInt16 = Field.noDiscriminant;
  union {
    slot :group {
      offset @4 :UInt32;
      type @5 :Type;
      defaultValue @6 :Value;
      hadExplicitDefault @10 :Bool;
    }
    group :group {
      typeId @7 :Id;
    }
  }
  ordinal :union {
    implicit @8 :Void;
    explicit @9 :UInt16;
  }
}
struct Enumerant {
  name @0 :Text;
  codeOrder @1 :UInt16;
  annotations @2 :List(Annotation);
}
struct Superclass {
  id @0 :Id;
  brand @1 :Brand;
}
struct Method {
  name @0 :Text;
  codeOrder @1 :UInt16;
  implicitParameters @7 :List(Node.Parameter);
  paramStructType @2 :Id;
  paramBrand @5 :Brand;
  resultStructType @3 :Id;
  resultBrand @6 :Brand;
  annotations @4 :List(Annotation);
}
struct Type {
  union {
    void @0 :Void;
    bool @1 :Void;
    int8 @2 :Void;
    int16 @3 :Void;
    int32 @4 :Void;
    int64 @5 :Void;
    uint8 @6 :Void;
    uint16 @7 :Void;
    uint32 @8 :Void;
    uint64 @9 :Void;
    float32 @10 :Void;
    float64 @11 :Void;
    text @12 :Void;
    data @13 :Void;
    list :group {
      elementType @14 :Type;
    }
    enum :group {
      typeId @15 :Id;
      brand @21 :Brand;
    }
    struct :group {
      typeId @16 :Id;
      brand @22 :Brand;
    }
    interface :group {
      typeId @17 :Id;
      brand @23 :Brand;
    }
    anyPointer :union {
      unconstrained :union {
        anyKind @18 :Void;
        struct @25 :Void;
        list @26 :Void;
        capability @27 :Void;
      }
      parameter :group {
        scopeId @19 :Id;
        parameterIndex @20 :UInt16;
      }
      implicitMethodParameter :group {
        parameterIndex @24 :UInt16;
      }
    }
  }
}
struct Brand {
  scopes @0 :List(Scope);
  struct Scope {
    scopeId @0 :Id;
    union {
      bind @1 :List(Binding);
      inherit @2 :Void;
    }
  }
  struct Binding {
    union {
      unbound @0 :Void;
      type @1 :Type;
    }
  }
}
struct Value {
  union {
    void @0 :Void;
    bool @1 :Bool;
    int8 @2 :Int8;
    int16 @3 :Int16;
    int32 @4 :Int32;
    int64 @5 :Int64;
    uint8 @6 :UInt8;
    uint16 @7 :UInt16;
    uint32 @8 :UInt32;
    uint64 @9 :UInt64;
    float32 @10 :Float32;
    float64 @11 :Float64;
    text @12 :Text;
    data @13 :Data;
    list @14 :AnyPointer;
    enum @15 :UInt16;
    struct @16 :AnyPointer;
    interface @17 :Void;
    anyPointer @18 :AnyPointer;
  }
}
struct Annotation {
  id @0 :Id;
  brand @2 :Brand;
  value @1 :Value;
}
enum ElementSize {
  empty @0;
  bit @1;
  byte @2;
  twoBytes @3;
  fourBytes @4;
  eightBytes @5;
  pointer @6;
  inlineComposite @7;
}
struct CapnpVersion {
  major @0 :UInt16;
  minor @1 :UInt8;
  micro @2 :UInt8;
}
struct CodeGeneratorRequest {
  capnpVersion @2 :CapnpVersion;
  nodes @0 :List(Node);
  sourceInfo @3 :List(Node.SourceInfo);
  requestedFiles @1 :List(RequestedFile);
  struct RequestedFile {
    id @0 :Id;
    filename @1 :Text;
    imports @2 :List(Import);
    struct Import {
      id @0 :Id;
      name @1 :Text;
    }
    fileSourceInfo @3 :FileSourceInfo;
    struct FileSourceInfo {
      identifiers @0 :List(Identifier);
      struct Identifier {
        startByte @0 :UInt32;
        endByte @1 :UInt32;
        union {
          typeId @2 :UInt64;
          member :group {
            parentTypeId @3 :UInt64;
            ordinal @4 :UInt16;
          }
        }
      }
    }
  }
}
"""
